package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the database unreachable, the API says so (503 with Retry-After) and readiness goes down. */
@QuarkusTest
@TestProfile(DatabaseDownTest.Unreachable.class)
class DatabaseDownTest extends ApiTest {

    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The application's and the network's datasources are cut: migrations (owner) still run at start.
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:9/harbour",
                    "quarkus.datasource.jdbc.acquisition-timeout", "2S",
                    "quarkus.datasource.jdbc.min-size", "0",
                    "quarkus.datasource.jdbc.initial-size", "0",
                    "quarkus.datasource.network.jdbc.url", "jdbc:postgresql://127.0.0.1:9/harbour",
                    "quarkus.datasource.network.jdbc.acquisition-timeout", "2S");
        }
    }

    @Test
    void networkAndTenantPathsAnswer503() {
        given().auth().oauth2(Tokens.of("network", "network-admin")).header("Accept-Language", "fr")
                .get("/v1/admin/organizations").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("/problems/unavailable"))
                .body("title", equalTo("Service indisponible"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get("/v1/orgs/riverside/sites").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"));
    }

    @Test
    void theCoordinatorsReadPathAnswers503() {
        for (String path : new String[] { "/v1/network/trends", "/v1/network/coverage", "/v1/network/exemptions" }) {
            given().auth().oauth2(Tokens.of("network", "coordinator")).get(path).then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("5"))
                    .body("type", equalTo("/problems/unavailable"));
        }
    }

    @Test
    void readinessIsDown() {
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
