package org.harbour.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Installed once for the whole suite ({@link ApiTest}): every answer to a request under /v1 must be what
 * the committed contract, openapi/openapi.yaml, says that operation answers: a documented status, a
 * documented media type, and a body valid against its schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 * A test therefore cannot pass on an answer a client generated from the contract would reject.
 */
public final class ContractFilter implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DOCUMENT = load();
    private static final List<Template> TEMPLATES = templates();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

    /** A path of the contract as a pattern; more literal segments win over templated ones. */
    private record Template(String path, Pattern pattern, int literals) {
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        Response answer = ctx.next(request, response);
        String path = URI.create(request.getURI()).getRawPath();
        if (path.startsWith("/v1/")) {
            check(request.getMethod().toLowerCase(Locale.ROOT), path, answer);
        }
        return answer;
    }

    private static void check(String method, String path, Response answer) {
        int status = answer.statusCode();
        String where = method.toUpperCase(Locale.ROOT) + " " + path + " answered " + status;
        JsonNode operation = TEMPLATES.stream().filter(t -> t.pattern().matcher(path).matches())
                .map(t -> DOCUMENT.path("paths").path(t.path()).path(method)).filter(JsonNode::isObject).findFirst().orElse(null);
        JsonNode documented;
        if (operation == null) {
            // No operation here (an unknown path or method): only the generic problem answers are possible.
            if (status < 400) {
                throw new AssertionError(where + ", but the contract has no such operation");
            }
            documented = JSON.createObjectNode().set("content", JSON.createObjectNode().set("application/problem+json",
                    JSON.createObjectNode().set("schema", JSON.createObjectNode().put("$ref", "#/components/schemas/Problem"))));
        } else {
            JsonNode responses = operation.path("responses");
            documented = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status))
                    : responses.has(status / 100 + "XX") ? responses.get(status / 100 + "XX") : responses.get("default");
            if (documented == null) {
                throw new AssertionError(where + ", a status the contract does not document for "
                        + operation.path("operationId").asText());
            }
        }
        String body = answer.asString();
        JsonNode content = documented.path("content");
        if (body == null || body.isEmpty()) {
            return;
        }
        String mediaType = answer.contentType() == null ? "" : answer.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            throw new AssertionError(where + " with " + (mediaType.isEmpty() ? "no Content-Type" : mediaType)
                    + ", a media type the contract does not document here (it has " + names(content) + ")");
        }
        if (!(mediaType.endsWith("/json") || mediaType.endsWith("+json")) || !content.get(mediaType).has("schema")) {
            return;
        }
        String pointer = operation == null ? "problem" : "/paths/" + escape(templateOf(path)) + "/" + method + "/responses/"
                + status + "/" + mediaType;
        JsonSchema schema = COMPILED.computeIfAbsent(pointer, p -> compile(content.get(mediaType).get("schema")));
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError(where + " with a body that is not JSON: " + body, e);
        }
        Set<ValidationMessage> errors = schema.validate(parsed);
        if (!errors.isEmpty()) {
            throw new AssertionError(where + " with a body the contract does not describe: " + errors + "\nbody: "
                    + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body));
        }
    }

    /** The response's schema, with the document's components beside it so that its #/components refs resolve. */
    private static JsonSchema compile(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("allOf", JSON.createArrayNode().add(schema));
        root.set("components", DOCUMENT.get("components"));
        return SCHEMAS.getSchema(root);
    }

    private static String templateOf(String path) {
        return TEMPLATES.stream().filter(t -> t.pattern().matcher(path).matches()).findFirst().map(Template::path).orElse(path);
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    private static String names(JsonNode content) {
        List<String> names = new ArrayList<>();
        content.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "no body" : String.join(", ", names);
    }

    private static JsonNode load() {
        try (Reader reader = Files.newBufferedReader(Path.of("openapi", "openapi.yaml"))) {
            Object document = new Yaml().load(reader);
            return JSON.valueToTree(document);
        } catch (IOException e) {
            throw new IllegalStateException("openapi/openapi.yaml cannot be read", e);
        }
    }

    private static List<Template> templates() {
        List<Template> templates = new ArrayList<>();
        Iterator<String> paths = DOCUMENT.path("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            String[] segments = path.split("/");
            int literals = 0;
            StringBuilder regex = new StringBuilder("^");
            for (String segment : segments) {
                if (segment.isEmpty()) {
                    continue;
                }
                regex.append('/');
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    regex.append("[^/]+");
                } else {
                    regex.append(Pattern.quote(segment));
                    literals++;
                }
            }
            templates.add(new Template(path, Pattern.compile(regex.append('$').toString()), literals));
        }
        templates.sort(Comparator.comparingInt(Template::literals).reversed());
        return templates;
    }
}
