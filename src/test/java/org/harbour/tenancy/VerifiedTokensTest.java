package org.harbour.tenancy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 11: a verified token is remembered (VerifiedTokens), and remembering changes no answer: it still
 * expires on time, it counts only for the tenant that verified it, a refusal is never remembered, and a caller
 * cannot make the service keep more than the bound (max-entries is lowered for the tests).
 */
@QuarkusTest
class VerifiedTokensTest extends ApiTest {

    @Inject
    VerifiedTokens verified;

    @ConfigProperty(name = "harbour.token-cache.max-entries")
    int maxEntries;

    @Test
    void aRememberedTokenStillExpiresOnTime() throws InterruptedException {
        Fixtures.organization("riverside");
        String token = Tokens.expiringIn(3, "riverside", "viewer");
        long expiresAt = Instant.now().getEpochSecond() + 3;
        given().auth().oauth2(token).get("/v1/orgs/riverside/sites").then().statusCode(200);
        given().auth().oauth2(token).get("/v1/orgs/riverside/sites").then().statusCode(200);
        while (Instant.now().getEpochSecond() <= expiresAt) {
            Thread.sleep(200);
        }
        given().auth().oauth2(token).get("/v1/orgs/riverside/sites").then().statusCode(401);
    }

    @Test
    void aTokenCountsOnlyForTheTenantThatVerifiedIt() {
        Fixtures.organization("riverside");
        Fixtures.organization("lakeshore");
        String riverside = Tokens.of("riverside", "org-admin");
        given().auth().oauth2(riverside).get("/v1/orgs/riverside/sites").then().statusCode(200);
        given().auth().oauth2(riverside).get("/v1/orgs/riverside/sites").then().statusCode(200);
        given().auth().oauth2(riverside).get("/v1/orgs/lakeshore/sites").then().statusCode(401);
        given().auth().oauth2(riverside).get("/v1/admin/organizations").then().statusCode(401);

        String network = Tokens.of("network", "coordinator");
        given().auth().oauth2(network).get("/v1/network/alerts").then().statusCode(200);
        given().auth().oauth2(network).get("/v1/orgs/riverside/sites").then().statusCode(401);
    }

    @Test
    void refusalsAreNotRememberedAndValidTokensNoMoreThanTheBound() {
        Fixtures.organization("riverside");
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get("/v1/orgs/riverside/sites").then().statusCode(200);
        long remembered = verified.size();
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(Tokens.signedBy("lakeshore", "riverside", "viewer")).get("/v1/orgs/riverside/sites")
                    .then().statusCode(401);
            given().auth().oauth2(Tokens.forAudience("another-api", "riverside", "viewer")).get("/v1/orgs/riverside/sites")
                    .then().statusCode(401);
        }
        assertEquals(remembered, verified.size(), "refused tokens are not remembered");
        for (int i = 0; i < 3 * maxEntries; i++) {
            given().auth().oauth2(Tokens.of("riverside", "viewer")).get("/v1/orgs/riverside/sites").then().statusCode(200);
        }
        assertTrue(verified.size() <= maxEntries, "remembered " + verified.size());
    }
}
