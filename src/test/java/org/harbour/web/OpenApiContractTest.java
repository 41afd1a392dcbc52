package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.OpenApiDocument;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The committed contract, openapi/openapi.yaml, is what member organizations build against: it must be
 * what the code serves. On a difference the served document is written to target/openapi.yaml; run
 * `make openapi` to take it after checking the change is meant.
 */
@QuarkusTest
class OpenApiContractTest extends ApiTest {

    static final Path COMMITTED = Path.of("openapi", "openapi.yaml");

    @Test
    void theCommittedContractIsWhatTheCodeServes() throws IOException {
        String served = given().queryParam("format", "yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "openapi.yaml"), served);
        if (Boolean.getBoolean("harbour.openapi.update")) {
            Files.writeString(COMMITTED, served);
        }
        assertTrue(Files.exists(COMMITTED), "openapi/openapi.yaml is missing: run make openapi");
        assertEquals(Files.readString(COMMITTED), served,
                "openapi/openapi.yaml differs from the served document (target/openapi.yaml): run make openapi");
    }

    @Test
    void everyOperationIsDocumented() {
        List<String> missing = new ArrayList<>();
        for (OpenApiDocument.Operation op : OpenApiDocument.operations()) {
            Map<String, Object> o = op.definition();
            String where = op.method() + " " + op.path();
            if (op.operationId() == null) {
                missing.add(where + ": operationId");
            }
            if (!(o.get("tags") instanceof List<?> tags) || tags.isEmpty()) {
                missing.add(where + ": tag");
            }
            if (o.get("summary") == null) {
                missing.add(where + ": summary");
            }
            if (!(o.get("security") instanceof List<?> security)) {
                missing.add(where + ": security (an empty list for a public operation)");
                continue;
            }
            Map<?, ?> responses = (Map<?, ?>) o.get("responses");
            List<String> statuses = security.isEmpty() ? List.of("400", "500", "503") : List.of("400", "401", "403", "500", "503");
            for (String status : statuses) {
                if (responses == null || !responses.containsKey(status)) {
                    missing.add(where + ": response " + status);
                }
            }
        }
        assertFalse(OpenApiDocument.operations().isEmpty());
        assertTrue(missing.isEmpty(), "undocumented: " + missing);
        assertNotNull(OpenApiDocument.operations());
    }
}
