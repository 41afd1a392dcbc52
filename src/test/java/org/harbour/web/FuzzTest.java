package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.OpenApiDocument;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Fuzzes every operation of the contract through HTTP (issue 9): path and query parameters, JSON bodies
 * built from the operation's schema and then broken (wrong types, missing and unknown fields, huge and
 * unstorable text, deep nesting), Accept-Language and Authorization headers. Generators are jqwik's, from a
 * fixed seed ({@code -Dharbour.fuzz.seed}); {@code -Dharbour.fuzz.cases} per operation (8 in make test, 200
 * in make fuzz). A finding: a 5xx, a stack trace, SQL or a Java class name in an answer, no answer within
 * 10 s, or a refused write that changed a stored row. Every answer is also checked against the contract
 * (ContractFilter). Writes go to an organization of their own, quayside.
 */
@QuarkusTest
class FuzzTest extends ApiTest {

    private static final String ORG = "quayside";
    private static final Pattern LEAK = Pattern.compile(
            "(?i)(exception|\\bat (org|java|io)\\.|org\\.hibernate|org\\.postgresql|psql|sqlstate|select .* from|java\\.lang|\\.java:\\d+)");
    private static final List<String> TENANT_TABLES = List.of("site", "offering", "visit_day", "incident", "note",
            "drug_check_sample", "resiliency_month", "webhook");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "harbour.db.url")
    String dbUrl;

    private final long seed = Long.getLong("harbour.fuzz.seed", 20261123L);
    private final int cases = Integer.getInteger("harbour.fuzz.cases", 8);
    private final Random random = new Random(seed);
    private Map<String, Object> components;

    private static final Arbitrary<String> NASTY = Arbitraries.of("", " ", "null", "-1", "0", "2147483648", "-9223372036854775809",
            "99999999999999999999999", "1e309", "NaN", "0x10", "2025-02-30", "2025-13-01", "0000-01-01", "+999999-01-01",
            "2026-W60", "25:61", "1969-12-31T24:00:00Z", "../../etc/passwd", "%00", "%", "%zz", "' OR 1=1 --", "\"; DROP TABLE site; --",
            "<script>alert(1)</script>", "\u0000", "a\u0000b", "\ud800", "\udfff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "é", "\u202e", "x".repeat(10_000),
            "riverside", "network", "*", "a,b,c", "[]", "{}", "true");
    private static final Arbitrary<String> TEXT = Arbitraries.oneOf(NASTY, Arbitraries.strings().all().ofMaxLength(60),
            Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(30), Arbitraries.create(() -> UUID.randomUUID().toString()));

    private <T> T sample(Arbitrary<T> arbitrary) {
        return arbitrary.generator(100).next(random).value();
    }

    @Test
    void noInputMakesA5xxALeakAHangOrAChangeWhenRefused() throws Exception {
        // jqwik's generators outside a jqwik property need a session of their own.
        net.jqwik.api.sessions.JqwikSession.start();
        try {
            fuzz();
        } finally {
            net.jqwik.api.sessions.JqwikSession.finish();
            if (database != null) {
                database.close();
            }
        }
    }

    private void fuzz() throws Exception {
        Fixtures.organization(ORG);
        Fixtures.site(ORG, "Fuzzed site");
        try (var reader = Files.newBufferedReader(Path.of("openapi", "openapi.yaml"))) {
            Map<String, Object> document = new Yaml().load(reader);
            components = cast(cast(document.get("components")).get("schemas"));
        }
        RestAssuredConfig config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 10_000).setParam("http.connection.timeout", 10_000));
        List<String> findings = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int requests = 0;
        for (OpenApiDocument.Operation op : OpenApiDocument.operations()) {
            if (op.path().endsWith("/stream")) {
                continue; // an endless stream has no answer to read; its parameters are none
            }
            for (int i = 0; i < cases; i++) {
                String fingerprint = op.method().equals("GET") ? null : fingerprint();
                RequestSpecification request = given().config(config).urlEncodingEnabled(true);
                String path = fillPath(op.path());
                String described = op.method() + " " + path;
                request = authorize(request, op.path());
                if (random.nextInt(4) == 0) {
                    String language = sample(Arbitraries.oneOf(NASTY, Arbitraries.of("fr", "fr-CA;q=0.9, en;q=0.8", "*", "zz", "en-US")));
                    request = request.header("Accept-Language", language.replace("\u0000", "").replace("\r", "").replace("\n", ""));
                }
                int queryChars = 0;
                for (Map<String, Object> parameter : parameters(op)) {
                    if ("query".equals(parameter.get("in")) && random.nextInt(3) > 0) {
                        Object value = value(cast(parameter.get("schema")), 0);
                        queryChars += String.valueOf(value).length();
                        request = request.queryParam((String) parameter.get("name"), value);
                    }
                }
                if (op.definition().get("requestBody") != null) {
                    String body = body(op);
                    described += " " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
                    request = request.contentType(random.nextInt(20) == 0 ? "text/plain" : "application/json").body(body);
                }
                Response answer;
                try {
                    answer = request.request(op.method(), path);
                } catch (AssertionError contract) {
                    findings.add(described + " -> " + contract.getMessage().lines().findFirst().orElse(""));
                    continue;
                } catch (Exception hang) {
                    if (hang instanceof java.net.SocketException && queryChars > 4000) {
                        // The server refuses a request line over 4,096 characters (414) and closes while it is sent.
                        statuses.merge(414, 1, Integer::sum);
                        continue;
                    }
                    findings.add(described + " -> no answer: " + hang);
                    continue;
                }
                requests++;
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                String text = answer.asString();
                if (answer.statusCode() >= 500) {
                    findings.add(described + " -> " + answer.statusCode() + " " + text);
                } else if (answer.statusCode() >= 400 && LEAK.matcher(text).find()) {
                    findings.add(described + " -> leaks: " + text);
                }
                if (fingerprint != null && answer.statusCode() >= 400 && !fingerprint.equals(fingerprint())) {
                    findings.add(described + " -> refused with " + answer.statusCode() + " but a stored row changed");
                }
            }
        }
        String report = "seed " + seed + ", " + cases + " cases per operation, " + requests + " requests, statuses " + statuses
                + ", findings " + findings.size() + (findings.isEmpty() ? "" : ":\n" + String.join("\n", findings));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fuzz-report.txt"), report + "\n");
        System.out.println("FUZZ " + report.lines().findFirst().orElse(""));
        assertTrue(findings.isEmpty(), report);
        assertTrue(requests > cases * 50, "the fuzzer reached the operations: " + requests);
    }

    private RequestSpecification authorize(RequestSpecification request, String template) {
        int pick = random.nextInt(12);
        if (pick == 0) {
            return request.header("Authorization", sample(Arbitraries.oneOf(NASTY, Arbitraries.of("Bearer", "Bearer ", "Basic YTpi",
                    "Bearer a.b.c", "Bearer ..", "bearer " + Tokens.of(ORG, "org-admin"), "Bearer " + "A".repeat(9000)))).replace("\u0000", "")
                    .replace("\r", "").replace("\n", ""));
        }
        if (pick == 1) {
            return request; // no token
        }
        return template.startsWith("/v1/orgs/")
                ? request.auth().oauth2(Tokens.of(ORG, "org-admin", "reporter", "viewer"))
                : request.auth().oauth2(Tokens.of("network", "network-admin", "coordinator", "researcher"));
    }

    private String fillPath(String template) {
        StringBuilder path = new StringBuilder();
        for (String segment : template.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            path.append('/');
            if (segment.equals("{org}")) {
                path.append(random.nextInt(10) == 0 ? "other-org" : ORG);
            } else if (segment.startsWith("{")) {
                String value = sample(Arbitraries.oneOf(TEXT, Arbitraries.create(() -> UUID.randomUUID().toString())));
                path.append(java.net.URLEncoder.encode(value.isEmpty() ? "x" : value, java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"));
            } else {
                path.append(segment);
            }
        }
        return path.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parameters(OpenApiDocument.Operation op) {
        Object parameters = op.definition().get("parameters");
        return parameters instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** A body from the operation's schema, then broken in one of several ways; sometimes not JSON at all. */
    private String body(OpenApiDocument.Operation op) throws Exception {
        Map<String, Object> content = cast(cast(op.definition().get("requestBody")).get("content"));
        Map<String, Object> media = cast(content.getOrDefault("application/json", content.values().iterator().next()));
        Object value = value(cast(media.get("schema")), 0);
        return switch (random.nextInt(10)) {
            case 0 -> sample(TEXT);
            case 1 -> "[".repeat(5000);
            case 2 -> JSON.writeValueAsString(value).replaceFirst("}$", ",\"orgId\":\"riverside\"}");
            default -> JSON.writeValueAsString(value);
        };
    }

    /** A value for a schema: right most of the time, of the wrong kind sometimes, so that validation is reached and crossed. */
    private Object value(Map<String, Object> schema, int depth) {
        if (schema == null || depth > 6) {
            return sample(TEXT);
        }
        if (schema.get("$ref") instanceof String ref) {
            return value(cast(components.get(ref.substring(ref.lastIndexOf('/') + 1))), depth + 1);
        }
        if (random.nextInt(8) == 0) {
            return wrong(depth);
        }
        Object type = schema.get("type");
        String kind = type instanceof List<?> types ? String.valueOf(types.get(0)) : String.valueOf(type);
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return random.nextInt(6) == 0 ? sample(TEXT) : values.get(random.nextInt(values.size()));
        }
        String format = String.valueOf(schema.get("format"));
        return switch (kind) {
            case "object" -> {
                Map<String, Object> object = new LinkedHashMap<>();
                Map<String, Object> properties = schema.get("properties") == null ? Map.of() : cast(schema.get("properties"));
                for (Map.Entry<String, Object> property : properties.entrySet()) {
                    if (random.nextInt(6) > 0) {
                        object.put(property.getKey(), value(cast(property.getValue()), depth + 1));
                    }
                }
                if (random.nextInt(10) == 0) {
                    object.put(sample(TEXT), sample(TEXT));
                }
                yield object;
            }
            case "array" -> {
                List<Object> list = new ArrayList<>();
                // A long array now and then, near the top only: nested ones would multiply into a body of gigabytes.
                int size = random.nextInt(20) == 0 && depth < 2 ? 5000 : random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    list.add(value(schema.get("items") == null ? null : cast(schema.get("items")), depth + 1));
                }
                yield list;
            }
            case "integer", "number" -> sample(Arbitraries.oneOf(Arbitraries.integers().between(-5, 500).map(Object.class::cast),
                    Arbitraries.of(Integer.MAX_VALUE, Long.MIN_VALUE, 1e300, -0.5).map(Object.class::cast)));
            case "boolean" -> random.nextBoolean();
            default -> switch (format) {
                case "date" -> random.nextInt(4) == 0 ? sample(NASTY) : java.time.LocalDate.of(2015, 1, 1).plusDays(random.nextInt(5000)).toString();
                case "date-time" -> random.nextInt(4) == 0 ? sample(NASTY) : "2025-0" + (1 + random.nextInt(9)) + "-10T12:00:00Z";
                case "uuid" -> random.nextInt(4) == 0 ? sample(NASTY) : UUID.randomUUID().toString();
                default -> sample(TEXT);
            };
        };
    }

    private Object wrong(int depth) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> List.of(sample(TEXT));
            case 3 -> depth > 3 ? Map.of() : Map.of(sample(TEXT), sample(TEXT));
            default -> sample(TEXT);
        };
    }

    /** Every row of the fuzzed organization, hashed: a refused write must leave it as it was. */
    private Connection database;

    private String fingerprint() throws SQLException {
        StringBuilder all = new StringBuilder();
        if (database == null) {
            database = DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app");
        }
        try (Statement s = database.createStatement()) {
            s.execute("SELECT set_config('harbour.org', '" + ORG + "', false)");
            for (String table : TENANT_TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(hashtext(t::text)), 0) FROM " + table + " t")) {
                    rs.next();
                    all.append(table).append(rs.getLong(1)).append(':').append(rs.getLong(2)).append(' ');
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT hashtext(o::text) FROM organization o WHERE slug = '" + ORG + "'")) {
                rs.next();
                all.append(rs.getLong(1));
            }
        }
        return all.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
