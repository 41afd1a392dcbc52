package org.harbour.visit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class VisitDayTest extends ApiTest {

    String site;

    @BeforeEach
    void site() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        site = Fixtures.site("riverside", "Visited");
    }

    static Map<String, Object> day(int visits) {
        Map<String, Object> body = new HashMap<>();
        body.put("visits", visits);
        body.put("uniqueClients", visits / 2);
        body.put("byMode", Map.of("injection", visits / 2, "inhalation", visits / 4));
        body.put("bySubstance", Map.of("fentanyl", visits / 2, "methamphetamine", visits / 3));
        body.put("servicesProvided", Map.of("NALOXONE_DISTRIBUTION", 3, "WOUND_CARE", 2));
        body.put("referrals", Map.of("treatment", 1, "housing", 2));
        body.put("turnedAway", Map.of("full", 4, "unableToSelfInject", 1));
        return body;
    }

    private String path(String date) {
        return "/v1/orgs/riverside/sites/" + site + "/visits/" + date;
    }

    @Test
    void postingADateAgainReplacesItAndBumpsTheVersion() {
        String reporter = Tokens.of("riverside", "reporter");
        given().auth().oauth2(reporter).contentType(ContentType.JSON).body(day(80)).put(path("2025-06-01"))
                .then().statusCode(201).header("ETag", equalTo("\"0\""))
                .body("visits", equalTo(80)).body("byMode.injection", equalTo(40))
                .body("servicesProvided.WOUND_CARE", equalTo(2)).body("turnedAway.full", equalTo(4));
        given().auth().oauth2(reporter).contentType(ContentType.JSON).body(day(80)).put(path("2025-06-01"))
                .then().statusCode(200).header("ETag", equalTo("\"0\""));
        given().auth().oauth2(reporter).contentType(ContentType.JSON).body(day(90)).put(path("2025-06-01"))
                .then().statusCode(200).header("ETag", equalTo("\"1\"")).body("visits", equalTo(90));
        given().auth().oauth2(reporter).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(day(95))
                .put(path("2025-06-01")).then().statusCode(412);
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get(path("2025-06-01")).then().statusCode(200)
                .body("visits", equalTo(90)).body("version", equalTo(1));
    }

    @Test
    void listsDaysInOrderWithinAPeriod() {
        String reporter = Tokens.of("riverside", "reporter");
        for (String date : new String[] { "2025-07-03", "2025-07-01", "2025-07-02", "2025-08-01" }) {
            given().auth().oauth2(reporter).contentType(ContentType.JSON).body(day(10)).put(path(date)).then().statusCode(201);
        }
        given().auth().oauth2(reporter).queryParam("from", "2025-07-01").queryParam("to", "2025-07-31")
                .get("/v1/orgs/riverside/sites/" + site + "/visits").then().statusCode(200)
                .body("items.date", equalTo(java.util.List.of("2025-07-01", "2025-07-02", "2025-07-03")));
        given().auth().oauth2(reporter).delete(path("2025-08-01")).then().statusCode(204);
        given().auth().oauth2(reporter).get(path("2025-08-01")).then().statusCode(404);
    }

    @Test
    void theRulesNameEveryBrokenField() {
        Map<String, Object> body = day(10);
        body.put("uniqueClients", 11);
        body.put("byMode", Map.of("injection", 6, "inhalation", 6));
        body.put("bySubstance", Map.of("fentanyl", 11));
        body.put("byAgeBand", Map.of("under19", 20));
        body.put("servicesProvided", Map.of("NOT_A_CODE", 1));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(body).put(path("2025-06-02"))
                .then().statusCode(422)
                .body("errors.field", hasItems("uniqueClients", "byMode", "bySubstance", "byAgeBand", "servicesProvided.NOT_A_CODE"));

        Map<String, Object> negative = day(10);
        negative.put("visits", -1);
        negative.put("referrals", Map.of("treatment", -2));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(negative)
                .put(path("2025-06-02")).then().statusCode(400).body("errors.field", hasItems("visits", "referrals.treatment"));

        String tomorrow = LocalDate.now(ZoneId.of("America/Toronto")).plusDays(1).toString();
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(day(5)).put(path(tomorrow))
                .then().statusCode(422).body("errors[0].field", equalTo("date"));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(day(5)).put(path("2019-04-30"))
                .then().statusCode(422).body("errors[0].field", equalTo("date"))
                .body("errors[0].message", equalTo("is before the site opened (2019-05-01)"));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).get(path("2025-06-02")).then().statusCode(404);
    }

    @Test
    void anotherOrganizationsSiteIsNotFound() {
        String lakeshoreSite = Fixtures.site("lakeshore", "Lakeshore visited");
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(day(5))
                .put("/v1/orgs/riverside/sites/" + lakeshoreSite + "/visits/2025-06-01").then().statusCode(404);
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites/" + lakeshoreSite + "/visits")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).contentType(ContentType.JSON).body(day(5))
                .put(path("2025-06-03")).then().statusCode(403);
    }
}
