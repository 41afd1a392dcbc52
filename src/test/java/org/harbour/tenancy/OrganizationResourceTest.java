package org.harbour.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.util.List;
import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class OrganizationResourceTest extends ApiTest {

    private static final String ORGS = "/v1/admin/organizations";

    @Test
    void onboardsAnOrganizationWhoseTokensWorkAtOnce() {
        given().auth().oauth2(Tokens.of("harbourview", "org-admin")).get("/v1/orgs/harbourview/sites")
                .then().statusCode(401);

        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Fixtures.organizationBody("harbourview", "harbourview"))
                .post(ORGS).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith(ORGS + "/harbourview"))
                .header("ETag", equalTo("\"0\""))
                .body("slug", equalTo("harbourview"))
                .body("legalNameFr", equalTo("Société harbourview"))
                .body("provinces", equalTo(List.of("CA-ON")))
                .body("status", equalTo("ACTIVE"));

        given().auth().oauth2(Tokens.of("harbourview", "org-admin")).get("/v1/orgs/harbourview/sites")
                .then().statusCode(200).body("items.size()", equalTo(0));
        given().auth().oauth2(Fixtures.admin()).get(ORGS + "/harbourview").then().statusCode(200)
                .body("issuer", equalTo(Tokens.issuer("harbourview")));
    }

    @Test
    void listsUpdatesAndRefusesDuplicates() {
        Fixtures.organization("riverside");
        Fixtures.organization("lakeshore");
        given().auth().oauth2(Fixtures.admin()).queryParam("limit", 200).get(ORGS).then().statusCode(200)
                .body("items.slug", hasItems("lakeshore", "riverside"));

        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Fixtures.organizationBody("riverside", "riverside")).post(ORGS)
                .then().statusCode(409).body("type", equalTo("/problems/conflict"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Fixtures.organizationBody("riverside-two", "riverside")).post(ORGS)
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("issuer"));

        Map<String, Object> body = Fixtures.organizationBody("eastside", "eastside");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post(ORGS).then().statusCode(201);
        body.put("legalNameEn", "Eastside Community Health");
        body.put("provinces", List.of("CA-BC", "CA-AB"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body)
                .put(ORGS + "/eastside").then().statusCode(200).header("ETag", equalTo("\"1\""))
                .body("legalNameEn", equalTo("Eastside Community Health"))
                .body("provinces", equalTo(List.of("CA-BC", "CA-AB")));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body)
                .put(ORGS + "/eastside").then().statusCode(412);
        body.put("slug", "westside");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body)
                .put(ORGS + "/eastside").then().statusCode(422).body("errors[0].field", equalTo("slug"));
        given().auth().oauth2(Fixtures.admin()).get(ORGS + "/westside").then().statusCode(404);
    }

    @Test
    void validatesEveryField() {
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Map.of("slug", "Bad Slug", "legalNameEn", "", "provinces", List.of("ON"), "issuer", "ftp://x",
                        "audience", "harbour-api"))
                .post(ORGS).then().statusCode(400)
                .body("errors.field", hasItems("slug", "legalNameEn", "legalNameFr", "issuer"))
                .body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("provinces")));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Map.of("slug", "x1", "status", "DORMANT")).post(ORGS).then().statusCode(400)
                .body("errors[0].field", equalTo("status"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("ACTIVE, SUSPENDED"));
    }

    @Test
    void aSuspendedOrganizationIsRefusedWithAClearProblemUntilReactivated() {
        Fixtures.organization("northshore");
        String token = Tokens.of("northshore", "org-admin");
        given().auth().oauth2(token).get("/v1/orgs/northshore/sites").then().statusCode(200);

        given().auth().oauth2(Fixtures.admin()).post(ORGS + "/northshore/suspend").then().statusCode(200)
                .body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(token).get("/v1/orgs/northshore/sites").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/organization-suspended"))
                .body("title", equalTo("Organization suspended"));
        given().auth().oauth2(token).header("Accept-Language", "fr-CA").get("/v1/orgs/northshore/sites").then()
                .statusCode(403).body("title", equalTo("Organisation suspendue"));
        given().get("/v1/orgs/northshore/sites").then().statusCode(401);

        given().auth().oauth2(Fixtures.admin()).post(ORGS + "/northshore/reactivate").then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
        given().auth().oauth2(token).get("/v1/orgs/northshore/sites").then().statusCode(200);
    }

    @Test
    void anIssuerChangeTakesEffectWithoutARestart() {
        Fixtures.organization("eastside");
        String before = Tokens.of("eastside", "viewer");
        // twice, so that the second is answered from the verified tokens (VerifiedTokens) and the change must pass them
        given().auth().oauth2(before).get("/v1/orgs/eastside/sites").then().statusCode(200);
        given().auth().oauth2(before).get("/v1/orgs/eastside/sites").then().statusCode(200);
        Map<String, Object> body = given().auth().oauth2(Fixtures.admin()).get(ORGS + "/eastside").then().extract()
                .jsonPath().getMap("");
        Map<String, Object> input = Fixtures.organizationBody("eastside", "rogue");
        input.put("legalNameEn", body.get("legalNameEn"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(input).put(ORGS + "/eastside")
                .then().statusCode(200);
        given().auth().oauth2(before).get("/v1/orgs/eastside/sites").then().statusCode(401);
        given().auth().oauth2(Tokens.of("eastside", "viewer")).get("/v1/orgs/eastside/sites").then().statusCode(401);
        given().auth().oauth2(Tokens.of("rogue", "viewer")).get("/v1/orgs/eastside/sites").then().statusCode(200);
        // and back, so that other tests can count on eastside's own realm
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Fixtures.organizationBody("eastside", "eastside")).put(ORGS + "/eastside").then().statusCode(200);
    }

    @Test
    void onlyTheNetworkAdminManagesOrganizations() {
        given().auth().oauth2(Tokens.of("network", "coordinator")).get(ORGS).then().statusCode(403);
        given().auth().oauth2(Tokens.of("riverside", "org-admin", "network-admin")).get(ORGS).then().statusCode(401);
        given().get(ORGS).then().statusCode(401);
    }

    /** Issue 9, point 8: the service fetches keys from an issuer, so it must be public https and not the network's own. */
    @Test
    void weakIssuersAreRefused() {
        for (String issuer : List.of("http://93.184.216.34/realms/x", "https://10.1.2.3/realms/x", "https://169.254.169.254/latest",
                "https://[fd00::1]/realms/x", "https://192.168.1.1/realms/x", Tokens.issuer("network"), Tokens.issuer("network") + "/",
                Tokens.issuer("network").replace("localhost", "LOCALHOST"), Tokens.issuer("network").replace("/realms/", "/realms/./"),
                Tokens.issuer("network") + "?x", Tokens.issuer("network") + "#x")) {
            Map<String, Object> body = Fixtures.organizationBody("weak-issuer", "rogue");
            body.put("issuer", issuer);
            given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post(ORGS)
                    .then().statusCode(422).body("errors[0].field", equalTo("issuer"));
        }
        Map<String, Object> body = Fixtures.organizationBody("weak-issuer", "rogue");
        body.put("issuer", Tokens.issuer("network"));
        given().auth().oauth2(Fixtures.admin()).header("Accept-Language", "fr").contentType(ContentType.JSON).body(body).post(ORGS)
                .then().statusCode(422).body("errors[0].message", org.hamcrest.Matchers.containsString("domaine du réseau"));
        given().auth().oauth2(Fixtures.admin()).get(ORGS + "/weak-issuer").then().statusCode(404);
    }

    /** Issue 9, point 8: every change to the registry and the taxonomy is in the network audit, for network-admin only. */
    @Test
    void registryAndTaxonomyChangesAreAudited() throws java.sql.SQLException {
        String slug = "audited-" + System.nanoTime() % 1_000_000;
        Map<String, Object> body = Fixtures.organizationBody(slug, "rogue");
        body.put("issuer", Tokens.issuer("rogue") + "-" + slug);
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post(ORGS).then().statusCode(201);
        body.put("legalNameEn", "Audited Society");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).put(ORGS + "/" + slug).then().statusCode(200);
        given().auth().oauth2(Fixtures.admin()).post(ORGS + "/" + slug + "/suspend").then().statusCode(200);
        given().auth().oauth2(Fixtures.admin()).post(ORGS + "/" + slug + "/reactivate").then().statusCode(200);

        given().auth().oauth2(Fixtures.admin()).queryParam("entity", "organization").queryParam("entityId", slug).get("/v1/admin/audit")
                .then().statusCode(200)
                .body("items.action", equalTo(List.of("REACTIVATE", "SUSPEND", "UPDATE", "CREATE")))
                .body("items.subject", org.hamcrest.Matchers.everyItem(equalTo("network-user")))
                .body("items[0].changes.status.from", equalTo("SUSPENDED"))
                .body("items[0].changes.status.to", equalTo("ACTIVE"))
                .body("items[2].changes.legalNameEn.from", equalTo("Society " + slug))
                .body("items[2].changes.legalNameEn.to", equalTo("Audited Society"))
                .body("items[3].changes.issuer.to", equalTo(Tokens.issuer("rogue") + "-" + slug));

        String code = "AUDITED_" + System.nanoTime() % 1_000_000;
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Map.of("code", code, "category", "SOCIAL_SUPPORT", "nameEn", "Audited service", "nameFr", "Service audité"))
                .post("/v1/admin/taxonomy/services").then().statusCode(201);
        given().auth().oauth2(Fixtures.admin()).delete("/v1/admin/taxonomy/services/" + code).then().statusCode(204);
        given().auth().oauth2(Fixtures.admin()).queryParam("entityId", code).get("/v1/admin/audit").then().statusCode(200)
                .body("items.action", equalTo(List.of("DELETE", "CREATE")))
                .body("items.entity", equalTo(List.of("service", "service")))
                .body("items[0].changes.nameFr.from", equalTo("Service audité"));

        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/admin/audit").then().statusCode(403);
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).get("/v1/admin/audit").then().statusCode(401);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app");
                java.sql.Statement s = c.createStatement()) {
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> s.executeUpdate("update network_audit set subject = 'x'"));
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> s.executeUpdate("delete from network_audit"));
        }
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "harbour.db.url")
    String dbUrl;
}
