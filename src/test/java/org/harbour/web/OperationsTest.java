package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.harbour.testsupport.ApiTest;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsTest extends ApiTest {

    @Test
    void livenessAndReadinessIncludingTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database connections health check")));
    }

    @Test
    void prometheusMetrics() {
        given().get("/v1/orgs/riverside/sites").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void everyRequestLogsALineWithItsRequestId() throws IOException, InterruptedException {
        String id = UUID.randomUUID().toString();
        given().header("X-Request-Id", id).get("/v1/orgs/riverside/sites").then().statusCode(401);
        Path log = Path.of("target", "quarkus-test.log");
        boolean found = false;
        for (int i = 0; i < 50 && !found; i++) {
            found = Files.exists(log) && Files.readString(log).contains(id);
            if (!found) {
                Thread.sleep(100);
            }
        }
        assertTrue(found, "no log line carries the request id " + id);
    }
}
