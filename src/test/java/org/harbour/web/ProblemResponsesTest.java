package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Every kind of failure answers application/problem+json, in English or French, without internals. */
@QuarkusTest
class ProblemResponsesTest extends ApiTest {

    private static final String SITES = "/v1/orgs/riverside/sites";

    @BeforeEach
    void organization() {
        Fixtures.organization(Fixtures.RIVERSIDE);
    }

    private static ValidatableResponse isProblem(ValidatableResponse r, int status, String type) {
        return r.statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("type", equalTo(type))
                .body("instance", matchesPattern("urn:uuid:[0-9a-f-]{36}"))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")))
                .body(not(containsString("SQL")));
    }

    private static String admin() {
        return Tokens.of("riverside", "org-admin");
    }

    @Test
    void unknownPath() {
        isProblem(given().get("/v1/nowhere").then(), 404, "/problems/not-found");
        isProblem(given().auth().oauth2(admin()).get(SITES + "/not-a-uuid").then(), 404, "/problems/not-found");
        isProblem(given().auth().oauth2(admin()).get(SITES + "/00000000-0000-7000-8000-000000000000").then(), 404,
                "/problems/not-found");
    }

    /** JAX-RS would answer 404 for a query parameter of the wrong type, as if the resource did not exist. */
    @Test
    void aQueryParameterOfTheWrongTypeIsA400NamingIt() {
        isProblem(given().auth().oauth2(admin()).get(SITES + "?limit=abc").then(), 400, "/problems/validation")
                .body("errors[0].field", equalTo("limit"));
        isProblem(given().auth().oauth2(admin()).header("Accept-Language", "fr")
                .get("/v1/orgs/riverside/incidents?from=yesterday").then(), 400, "/problems/validation")
                .body("errors[0].field", equalTo("from"))
                .body("errors[0].message", startsWith("n"));
        isProblem(given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/exemptions?expiringWithinDays=soon")
                .then(), 400, "/problems/validation").body("errors[0].field", equalTo("expiringWithinDays"));
        isProblem(given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/coverage?at=noon")
                .then(), 400, "/problems/validation").body("errors[0].field", equalTo("at"));
        // A path parameter of the wrong type names no resource: still 404, even with a good query.
        isProblem(given().auth().oauth2(admin()).get(SITES + "/not-a-uuid/visits?limit=5").then(), 404, "/problems/not-found");
        // A failure that does not quote the value (too long for a UUID) names no query parameter either.
        isProblem(given().auth().oauth2(admin()).get(SITES + "/" + "a".repeat(40) + "?x=U").then(), 404, "/problems/not-found");
    }

    @Test
    void wrongMethod() {
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{}").patch(SITES).then(), 405,
                "/problems/method-not-allowed")
                .header("Allow", equalTo("GET, POST"));
        isProblem(given().auth().oauth2(admin()).post(SITES + "/00000000-0000-7000-8000-000000000000").then(), 405,
                "/problems/method-not-allowed")
                .header("Allow", equalTo("DELETE, GET, PUT"));
    }

    @Test
    void wrongMediaType() {
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.XML).body("<site/>").post(SITES).then(), 415,
                "/problems/unsupported-media-type");
    }

    @Test
    void tooLarge() throws Exception {
        // A client that declares a body over the limit and waits for 100-continue is refused before sending it.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String head = "POST " + SITES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin()
                    + "\r\nContent-Type: application/json\r\nAccept-Language: fr\r\nContent-Length: " + (65 * 1024 * 1024)
                    + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertTrue(response.startsWith("HTTP/1.1 413"), response);
            org.junit.jupiter.api.Assertions.assertTrue(response.contains("Content-Type: application/problem+json"), response);
            org.junit.jupiter.api.Assertions.assertTrue(response.contains("\"title\":\"Contenu trop volumineux\""), response);
        }
    }

    @Test
    void malformedJson() {
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"name\": ").post(SITES).then(), 400,
                "/problems/malformed-body");
    }

    @Test
    void unknownEnumValueNamesTheFieldAndTheValues() {
        Map<String, Object> body = Fixtures.siteBody("Enum");
        body.put("kind", "CASINO");
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES).then(), 400,
                "/problems/validation")
                .body("errors[0].field", equalTo("kind"))
                .body("errors[0].message", containsString("SCS, OPS, MOBILE"));
    }

    @Test
    void wrongTypeNamesTheField() {
        Map<String, Object> body = Fixtures.siteBody("Types");
        body.put("booths", "eight");
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES).then(), 400,
                "/problems/validation")
                .body("errors[0].field", equalTo("booths"));
    }

    @Test
    void constraintViolationsInFrench() {
        Map<String, Object> body = Fixtures.siteBody("");
        body.put("province", "QC");
        isProblem(given().auth().oauth2(admin()).header("Accept-Language", "fr-CA,fr;q=0.9,en;q=0.5")
                .contentType(ContentType.JSON).body(body).post(SITES).then(), 400, "/problems/validation")
                .body("title", equalTo("Données invalides"))
                .body("errors.find { it.field == 'province' }.message", equalTo("doit être un code ISO 3166-2:CA, comme CA-QC"))
                .body("errors.find { it.field == 'name' }.message", startsWith("ne doit pas"));
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES).then(), 400,
                "/problems/validation")
                .body("title", equalTo("Invalid input"))
                .body("errors.find { it.field == 'province' }.message", equalTo("must be an ISO 3166-2:CA code, such as CA-ON"));
    }

    @Test
    void rulesInFrench() {
        Map<String, Object> body = Fixtures.siteBody("Rules");
        body.put("closedOn", "2018-01-01");
        body.put("status", "CLOSED");
        isProblem(given().auth().oauth2(admin()).header("Accept-Language", "fr").contentType(ContentType.JSON).body(body)
                .post(SITES).then(), 422, "/problems/rule-violated")
                .body("title", equalTo("Règle non respectée"))
                .body("errors.message", hasItem("ne doit pas précéder openedOn"));
    }

    @Test
    void conflict() {
        Map<String, Object> a = Fixtures.siteBody("Conflict A");
        a.put("externalRef", "CONFLICT-" + System.nanoTime());
        Fixtures.site("riverside", "Conflict B");
        String b = Fixtures.site("riverside", "Conflict C");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(a).post(SITES).then().statusCode(201);
        Map<String, Object> update = Fixtures.siteBody("Conflict C");
        update.put("externalRef", a.get("externalRef"));
        isProblem(given().auth().oauth2(admin()).contentType(ContentType.JSON).body(update).put(SITES + "/" + b).then(), 409,
                "/problems/conflict");
    }

    @Test
    void unauthenticatedInBothLanguages() {
        isProblem(given().get(SITES).then(), 401, "/problems/unauthorized").body("title", equalTo("Authentication required"));
        isProblem(given().header("Accept-Language", "fr").get(SITES).then(), 401, "/problems/unauthorized")
                .body("title", equalTo("Authentification requise"));
        isProblem(given().auth().oauth2("not.a.jwt").get(SITES).then(), 401, "/problems/unauthorized");
        isProblem(given().auth().oauth2(Tokens.expired("riverside", "org-admin")).get(SITES).then(), 401,
                "/problems/unauthorized");
        isProblem(given().auth().oauth2(Tokens.forAudience("someone-else", "riverside", "org-admin")).get(SITES).then(), 401,
                "/problems/unauthorized");
    }

    @Test
    void forbiddenInFrench() {
        isProblem(given().auth().oauth2(Tokens.of("riverside", "viewer")).header("Accept-Language", "fr")
                .contentType(ContentType.JSON).body(Fixtures.siteBody("x")).post(SITES).then(), 403, "/problems/forbidden")
                .body("title", equalTo("Accès refusé"));
    }

    @Test
    void theRequestIdIsInTheHeaderAndTheInstance() {
        String id = "5d1b8c9e-3f0a-4c4e-9a51-0d6f2b7c8e11";
        given().header("X-Request-Id", id).get(SITES).then().statusCode(401)
                .header("X-Request-Id", equalTo(id))
                .body("instance", equalTo("urn:uuid:" + id));
        given().header("X-Request-Id", "<script>").get(SITES).then().statusCode(401)
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }
}
