package org.harbour.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The running service with the real Keycloak that make run starts: tokens are Keycloak's own, through
 * client credentials and password grants, exactly as a member system and its staff would get them.
 * Run by deploy/local/e2e.sh (part of make test).
 */
@Tag("e2e")
class EndToEndTest {

    static final String KEYCLOAK = System.getProperty("harbour.e2e.keycloak", "http://127.0.0.1:8180");

    @BeforeAll
    static void api() {
        RestAssured.baseURI = System.getProperty("harbour.e2e.api", "http://127.0.0.1:8080");
        RestAssured.port = -1;
    }

    static String clientToken(String realm, String client) {
        return given().baseUri(KEYCLOAK).formParams(Map.of("grant_type", "client_credentials", "client_id", client,
                "client_secret", client + "-secret"))
                .post("/realms/" + realm + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    static String userToken(String realm, String client, String user) {
        return given().baseUri(KEYCLOAK).formParams(Map.of("grant_type", "password", "client_id", client,
                "client_secret", client + "-secret", "username", user, "password", user))
                .post("/realms/" + realm + "/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void aMemberSystemReadsItsSitesAndCannotWriteThem() {
        String system = clientToken("riverside", "riverside-system");
        given().auth().oauth2(system).get("/v1/orgs/riverside/sites").then().statusCode(200)
                .body("items.externalRef", hasItems("RS-001", "RS-002"));
        given().auth().oauth2(system).contentType(ContentType.JSON).body(Map.of("name", "x")).post("/v1/orgs/riverside/sites")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anOrgAdminCreatesAndUpdatesASite() {
        String admin = userToken("riverside", "riverside-system", "riverside-admin");
        String ref = "E2E-" + UUID.randomUUID();
        Map<String, Object> site = Map.of("externalRef", ref, "name", "End-to-end site", "kind", "OPS", "model", "INTEGRATED",
                "city", "Ottawa", "province", "CA-ON", "timeZone", "America/Toronto");
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON).body(site).post("/v1/orgs/riverside/sites")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(site).post("/v1/orgs/riverside/sites")
                .then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body(Map.of("externalRef", ref, "name", "End-to-end site, renamed", "kind", "OPS", "model", "INTEGRATED",
                        "city", "Ottawa", "province", "CA-ON", "timeZone", "America/Toronto"))
                .put("/v1/orgs/riverside/sites/" + id).then().statusCode(200).header("ETag", equalTo("\"1\""));
        given().auth().oauth2(admin).delete("/v1/orgs/riverside/sites/" + id).then().statusCode(200)
                .body("status", equalTo("CLOSED"));
    }

    @Test
    void anotherOrganizationsRealTokenIsRefused() {
        String lakeshore = clientToken("lakeshore", "lakeshore-system");
        given().auth().oauth2(lakeshore).get("/v1/orgs/riverside/sites").then().statusCode(401);
        given().auth().oauth2(lakeshore).get("/v1/orgs/lakeshore/sites").then().statusCode(200)
                .body("items.externalRef", hasItem("LS-001"));
    }

    @Test
    void networkRolesStayOnNetworkPaths() {
        String coordinator = userToken("network", "harbour-dashboard", "coordinator");
        given().auth().oauth2(coordinator).get("/v1/orgs/riverside/sites").then().statusCode(401);
        given().auth().oauth2(coordinator).get("/v1/admin/organizations").then().statusCode(403);
        String admin = clientToken("network", "harbour-admin");
        given().auth().oauth2(admin).get("/v1/admin/organizations").then().statusCode(200)
                .body("items.slug", hasItems("lakeshore", "riverside"));
    }

    @Test
    void membersAndTheCoordinatorReadTheSharedNetworkPaths() {
        String riverside = clientToken("riverside", "riverside-system");
        String marker = "e2e" + UUID.randomUUID().toString().replaceAll("[^a-z]", "");
        given().auth().oauth2(riverside).contentType(ContentType.JSON)
                .body(Map.of("title", "Résilience : compte rendu après chaque surdose", "body", "Un compte rendu à chaud, " + marker + ".",
                        "language", "fr", "theme", "STAFF_RESILIENCY", "kind", "TIP", "visibility", "NETWORK"))
                .post("/v1/orgs/riverside/notes").then().statusCode(201);
        String lakeshore = clientToken("lakeshore", "lakeshore-system");
        given().auth().oauth2(lakeshore).queryParam("q", "resilience " + marker).get("/v1/network/notes").then().statusCode(200)
                .body("items.organization", hasItem("riverside"));
        String coordinator = userToken("network", "harbour-dashboard", "coordinator");
        given().auth().oauth2(coordinator).get("/v1/network/alerts").then().statusCode(200);
        given().auth().oauth2(userToken("network", "harbour-dashboard", "researcher")).get("/v1/network/notes").then().statusCode(403);
    }
}
