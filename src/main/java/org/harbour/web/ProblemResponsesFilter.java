package org.harbour.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the error responses every operation can give, in one place, so that no operation's
 * contract forgets one: all are application/problem+json.
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema("Problem", problemSchema());
        openAPI.getComponents().addSchema("FieldError", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING).addExample("timeZone"))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .addExample("must be an IANA time zone, such as America/Toronto")));
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                document(path.getKey(), op.getKey(), op.getValue());
            }
        }
    }

    /**
     * Roles go in x-roles, not in the security requirement: the bearer scheme is http, and OpenAPI tools read a
     * requirement's list as OAuth scopes, which these are not. The requirement itself stays: a token is needed.
     */
    private static void rolesAsExtension(Operation operation) {
        if (operation.getSecurity() == null) {
            return;
        }
        java.util.List<String> roles = new java.util.ArrayList<>();
        for (org.eclipse.microprofile.openapi.models.security.SecurityRequirement requirement : operation.getSecurity()) {
            requirement.getSchemes().forEach((scheme, scopes) -> {
                if (scopes != null) {
                    roles.addAll(scopes);
                }
                requirement.addScheme(scheme, new java.util.ArrayList<>());
            });
        }
        if (!roles.isEmpty()) {
            operation.addExtension("x-roles", roles);
            String said = "Roles: " + String.join(", ", roles) + ".";
            operation.setDescription(operation.getDescription() == null ? said : operation.getDescription() + " " + said);
        }
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        rolesAsExtension(operation);
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
                && operation.getRequestBody().getContent().hasMediaType(org.harbour.imports.ImportResource.JSON_LINES)) {
            operation.getRequestBody().getContent().getMediaType(org.harbour.imports.ImportResource.JSON_LINES)
                    .setExample(org.harbour.imports.ImportResource.JSON_LINES_EXAMPLE);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        boolean hasBody = operation.getRequestBody() != null;
        boolean isPublic = operation.getSecurity() == null || operation.getSecurity().isEmpty();
        errors.put("400", "Invalid input: malformed JSON, an unknown field or enum value, or field errors (errors[])");
        if (isPublic) {
            // Say so explicitly: no token is needed (an empty requirement overrides any default).
            operation.setSecurity(new java.util.ArrayList<>());
            errors.put("401", "An Authorization header that is not a well-formed bearer JWT (none is needed here)");
        } else {
            errors.put("401", "No token, or a token this path's issuer did not sign, expired, or for another audience");
            errors.put("403", path.startsWith("/v1/orgs/")
                    ? "The token's role does not allow this operation, or the organization is suspended"
                    : "The token's role does not allow this operation");
        }
        if (path.contains("{")) {
            errors.put("404", "No such resource (another organization's resources are answered 404 too)");
        }
        if (hasBody) {
            errors.put("409", "Conflicts with stored data");
            errors.put("413", "Body too large");
            errors.put("415", "Body is not application/json");
            errors.put("422", "Well-formed input that breaks a rule (errors[] names the fields)");
        }
        if (IdempotencyKeys.appliesTo(method.name(), path)) {
            operation.addParameter(OASFactory.createParameter().name(IdempotencyKeys.HEADER).in(Parameter.In.HEADER)
                    .description("A key of your choice (1 to 255 visible ASCII characters) that makes a retry safe: for 24 hours "
                            + "the same key with the same request gets the first answer again; with another request, 422; while "
                            + "the first is still running, 409.")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(255)));
            errors.put("409", "Conflicts with stored data, or a request with the same Idempotency-Key is still running");
            errors.put("422", "Well-formed input that breaks a rule (errors[] names the fields), or an Idempotency-Key reused for "
                    + "another request");
        }
        if (method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.DELETE) {
            errors.put("412", "If-Match does not match the current ETag: the resource changed since it was read");
        }
        errors.put("429", "Rate limit reached (RateLimit-* headers say where the caller stands); retry after Retry-After seconds");
        errors.put("500", "Unexpected failure; the instance identifies it in our logs");
        errors.put("503", "Database unreachable; retry after Retry-After seconds");
        for (Map.Entry<String, String> error : errors.entrySet()) {
            if (!operation.getResponses().hasAPIResponse(error.getKey())) {
                operation.getResponses().addAPIResponse(error.getKey(), OASFactory.createAPIResponse().description(error.getValue()));
            }
        }
        // An error an operation declares itself (say 409 or 429, with its own description) is a problem too.
        for (Map.Entry<String, APIResponse> response : operation.getResponses().getAPIResponses().entrySet()) {
            if (response.getKey().matches("[45][0-9][0-9]") && response.getValue().getContent() == null) {
                response.getValue().content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
            }
        }
        // Refused by the HTTP server before any route, with no body: a request line or headers too long.
        operation.getResponses().addAPIResponse("414", OASFactory.createAPIResponse()
                .description("The request line (path and query) is longer than the server reads; no body"));
        operation.getResponses().addAPIResponse("431", OASFactory.createAPIResponse()
                .description("The request's headers are larger than the server reads; no body"));
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; title and messages follow Accept-Language (en, fr).")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).addExample("/problems/validation"))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING).addExample("Invalid input"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).addExample(400))
                .addProperty("detail", string)
                .addProperty("instance", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("The request id (also in X-Request-Id and the logs)."))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("#/components/schemas/FieldError")))
                .required(java.util.List.of("type", "title", "status"));
    }
}
