package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Issue 9, point 5: rate limits per organization, per client and, for refused tokens, per source address. */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimits.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitTest extends ApiTest {

    /** Limits low enough to reach in a test; the refill (a minute) is slow next to it. */
    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("harbour.rate-limit.client.per-minute", "30", "harbour.rate-limit.organization.per-minute", "50",
                    "harbour.rate-limit.refused-tokens.per-minute", "5",
                    // An operator's slip: not a 500 for each of its requests, the default instead.
                    "harbour.rate-limit.organization.lakeshore.per-minute", "0");
        }
    }

    @Test
    @Order(1)
    void aClientAndThenItsOrganizationAreLimitedAndOthersAreNot() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        String first = Tokens.forClient("intake-app", "riverside", "viewer");
        // Made before the buckets run low: making a key takes longer than the buckets take to refill one request.
        String forgedFirst = Tokens.forClientSignedBy("intake-app", "rogue", "riverside", "viewer");
        String forgedThird = Tokens.forClientSignedBy("third-tool", "rogue", "riverside", "viewer");
        long before = Long.MAX_VALUE;
        int served = 0;
        Response answer;
        while ((answer = given().auth().oauth2(first).header("Accept-Language", "fr").get("/v1/orgs/riverside/sites")).statusCode() == 200) {
            long remaining = Long.parseLong(answer.header("RateLimit-Remaining"));
            // Down by one a request, give or take the bucket's refill (one request every 2 s).
            assertTrue(remaining <= before, "RateLimit-Remaining goes down");
            assertEquals("30", answer.header("RateLimit-Limit"));
            before = remaining;
            served++;
        }
        // A few requests of the setup above counted against the network admin, not this client.
        assertTrue(served >= 28 && served <= 30, "served " + served);
        answer.then().statusCode(429).header("Retry-After", notNullValue()).header("RateLimit-Remaining", equalTo("0"))
                .body("type", equalTo("/problems/too-many-requests")).body("title", equalTo("Trop de requêtes"));

        // Refused before its token is verified: one that names the spent client is 429 even when forged (not 401, and
        // not counted as a refused token), and takes nothing from anyone. (What refilled while the answer above was
        // read is spent first: one request every 2 s.)
        while (given().auth().oauth2(first).get("/v1/orgs/riverside/sites").statusCode() == 200) {
            served++;
        }
        given().auth().oauth2(forgedFirst).get("/v1/orgs/riverside/sites")
                .then().statusCode(429).header("Retry-After", notNullValue()).header("RateLimit-Limit", equalTo("30"))
                .body("type", equalTo("/problems/too-many-requests"));

        // Another client of the same organization has its own share, until the organization's is spent.
        String second = Tokens.forClient("case-tool", "riverside", "viewer");
        int secondServed = 0;
        while (given().auth().oauth2(second).get("/v1/orgs/riverside/sites").statusCode() == 200) {
            secondServed++;
        }
        // The buckets refill as time passes (one request every 1.2 s for the organization), hence a range.
        assertTrue(secondServed >= 15 && secondServed <= 30, "the organization's 50 ran out: second client served " + secondServed);

        // The organization's share spent: any token on its paths is held off before verification, a forged one too.
        given().auth().oauth2(forgedThird).get("/v1/orgs/riverside/sites")
                .then().statusCode(429).header("RateLimit-Limit", equalTo("50"));
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites").then().statusCode(200)
                .header("RateLimit-Limit", equalTo("30"));
        for (int i = 0; i < 60; i++) {
            given().get("/q/health/live").then().statusCode(200);
        }
    }

    @Test
    @Order(2)
    void anAddressSendingRefusedTokensIsHeldOff() {
        // No token is not a refused token: anyone (a page in a browser behind the same address) can send such requests.
        for (int i = 0; i < 8; i++) {
            given().get("/v1/orgs/lakeshore/sites").then().statusCode(401);
        }
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(Tokens.signedBy("rogue", "lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites").then().statusCode(401);
        }
        given().auth().oauth2(Tokens.signedBy("rogue", "lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("type", equalTo("/problems/too-many-requests"));
        // Held off before any verification, whatever the token: a guesser learns nothing more.
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites").then().statusCode(429);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
