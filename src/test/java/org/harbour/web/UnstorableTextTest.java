package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Text PostgreSQL cannot store (NUL, in text and jsonb) or that is not Unicode (an unpaired surrogate) is a
 * 400 naming the field, in single writes, map keys, import lines and parameters; it was a 500.
 */
@QuarkusTest
class UnstorableTextTest extends ApiTest {

    @BeforeEach
    void organization() {
        Fixtures.organization(Fixtures.RIVERSIDE);
    }

    private static String reporter() {
        return Tokens.of("riverside", "reporter");
    }

    @Test
    void aNulInANoteIsAFieldErrorAndNothingIsStored() {
        Map<String, Object> incident = new HashMap<>(Fixtures.outreachIncident());
        String ref = (String) incident.get("externalRef");
        incident.put("note", "before\u0000after");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(incident).post("/v1/orgs/riverside/incidents")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("note"))
                .body("errors.message", hasItem(containsString("NUL")));
        given().auth().oauth2(reporter()).header("Accept-Language", "fr").contentType(ContentType.JSON).body(incident)
                .post("/v1/orgs/riverside/incidents").then().statusCode(400)
                .body("errors.message", hasItem(containsString("caractère NUL")));
        // Nothing was stored under its reference: without the NUL it is created now, not found.
        incident.put("note", "before after");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(incident).post("/v1/orgs/riverside/incidents")
                .then().statusCode(201).body("externalRef", equalTo(ref));
    }

    @Test
    void anUnpairedSurrogateInASiteNameIsAFieldError() {
        // Escaped in the JSON text itself: a client library would not encode an unpaired surrogate.
        String site;
        try {
            site = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Fixtures.siteBody("Half HALF a pair"))
                    .replace("HALF", "\\ud800");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(site)
                .post("/v1/orgs/riverside/sites").then().statusCode(400).body("errors.field", hasItem("name"))
                .body("errors.message", hasItem(containsString("surrogate")));
        // A whole pair (an emoji) is fine.
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON)
                .body(Fixtures.siteBody("Harbour \ud83d\udea2 " + UUID.randomUUID())).post("/v1/orgs/riverside/sites").then()
                .statusCode(201);
    }

    @Test
    void aNulInAMapKeyIsAFieldError() {
        String site = Fixtures.site("riverside", "Keys " + UUID.randomUUID());
        given().auth().oauth2(reporter()).contentType(ContentType.JSON)
                .body(Map.of("visits", 5, "servicesProvided", Map.of("WOUND\u0000CARE", 1)))
                .put("/v1/orgs/riverside/sites/" + site + "/visits/2025-06-02").then().statusCode(400)
                .contentType("application/problem+json").body("errors.message", hasItem(containsString("NUL")));
    }

    @Test
    void anImportKeepsItsGoodLineAndRejectsTheOtherWithTheRealReason() {
        Map<String, Object> good = new HashMap<>(Fixtures.outreachIncident());
        good.put("type", "incident");
        Map<String, Object> bad = new HashMap<>(Fixtures.outreachIncident());
        bad.put("type", "incident");
        bad.put("note", "x\u0000y");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(java.util.List.of(good, bad))
                .post("/v1/orgs/riverside/imports").then().statusCode(200)
                .body("lines[0].status", equalTo("CREATED"))
                .body("lines[1].status", equalTo("REJECTED"))
                .body("lines[1].errors[0].field", equalTo("note"))
                .body("lines[1].errors[0].message", containsString("NUL"));
        // Fields the import reads for itself (the site's reference) are held to the same rule.
        Map<String, Object> visit = Map.of("type", "visit", "siteExternalRef", "S\u0000X", "date", "2025-06-01", "visits", 3);
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(java.util.List.of(visit))
                .post("/v1/orgs/riverside/imports").then().statusCode(200)
                .body("lines[0].status", equalTo("REJECTED"))
                .body("lines[0].errors[0].field", equalTo("siteExternalRef"))
                .body("lines[0].errors[0].message", containsString("NUL"));
    }

    @Test
    void aNulInAQueryOrPathParameterIsABadRequest() {
        given().urlEncodingEnabled(false).auth().oauth2(reporter()).get("/v1/orgs/riverside/notes?q=a%00b").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("NUL"));
        given().urlEncodingEnabled(false).auth().oauth2(reporter()).get("/v1/network/notes?theme=OPERATIONS&q=%00").then()
                .statusCode(400).body("errors.field", equalTo(java.util.List.of("q")));
        given().urlEncodingEnabled(false).auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON)
                .body(Map.of("trainings", java.util.List.of())).put("/v1/orgs/riverside/resiliency/a%00b/2024-01").then()
                .statusCode(400);
    }
}
