package org.harbour.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Database;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 9, point 1: what a caller puts in a path or a token must not grow what the service keeps, and a
 * registry change made by another instance (here: straight in the database) reaches this one in time.
 */
@QuarkusTest
class RegistryBoundsTest extends ApiTest {

    @Inject
    OrganizationRegistry registry;

    @ConfigProperty(name = "harbour.registry.max-age")
    Duration maxAge;

    @Test
    void randomIssuersAndSlugsAreRefusedAndKeepNothing() {
        Fixtures.organization("riverside");
        int organizations = registry.size();
        String padding = "x".repeat(8000);
        for (int i = 0; i < 400; i++) {
            String issuer = "https://issuer-" + UUID.randomUUID() + ".example/realms/r";
            given().auth().oauth2(unsigned("{\"iss\":\"" + issuer + "\",\"pad\":\"" + padding + "\"}"))
                    .get("/v1/network/alerts").then().statusCode(401);
            given().auth().oauth2(Tokens.of("riverside", "viewer")).get("/v1/orgs/org-" + UUID.randomUUID() + "/sites")
                    .then().statusCode(401);
        }
        assertEquals(organizations, registry.size(), "the registry holds the organizations and nothing a caller sent");
    }

    @Test
    void malformedTokensAreRefused() {
        for (String token : new String[] { "not-a-jwt", "a.b", "..", "a..c", unsigned("[1,2]"), unsigned("{\"iss\":42}"),
                unsigned("{\"iss\":\"ftp://x\"}"), unsigned("{\"iss\":\"https://" + "h".repeat(600) + "\"}"),
                unsigned("{\"iss\":\"https://x\",\"p\":\"" + "y".repeat(12_600) + "\"}") }) {
            given().auth().oauth2(token).get("/v1/network/alerts").then().statusCode(401);
        }
    }

    /** Before the fix, the issuer lookup of the shared network paths was cached for ever: a suspension never reached it. */
    @Test
    void aChangeMadeElsewhereReachesEveryLookupWithinTheMaxAge() throws Exception {
        Fixtures.organization("westwind");
        String token = Tokens.of("westwind", "viewer");
        given().auth().oauth2(token).get("/v1/orgs/westwind/sites").then().statusCode(200);
        given().auth().oauth2(token).get("/v1/network/alerts").then().statusCode(200);
        try {
            Database.asOwner("update organization set status = 'SUSPENDED', version = version + 1 where slug = 'westwind'");
            long changed = System.nanoTime();
            long deadline = changed + maxAge.plusSeconds(3).toNanos();
            boolean orgPath = false;
            boolean networkPath = false;
            while ((!orgPath || !networkPath) && System.nanoTime() < deadline) {
                orgPath |= given().auth().oauth2(token).get("/v1/orgs/westwind/sites").statusCode() == 403;
                networkPath |= given().auth().oauth2(token).get("/v1/network/alerts").statusCode() == 403;
                Thread.sleep(100);
            }
            assertTrue(orgPath && networkPath, "suspension seen on the tenant path " + orgPath + ", on the network path " + networkPath);
            assertTrue(System.nanoTime() - changed <= maxAge.plusSeconds(1).toNanos(), "seen within the max age");
            given().auth().oauth2(token).get("/v1/network/alerts").then().statusCode(403)
                    .body("type", equalTo("/problems/organization-suspended"));
        } finally {
            Database.asOwner("update organization set status = 'ACTIVE', version = version + 1 where slug = 'westwind'");
        }
    }

    private static String unsigned(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

}
