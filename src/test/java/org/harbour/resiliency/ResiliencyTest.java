package org.harbour.resiliency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ResiliencyTest extends ApiTest {

    String team;

    @BeforeEach
    void setUp() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        team = "night-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static Map<String, Object> month(int respondents) {
        return Map.of("trainings", List.of(Map.of("kind", "OVERDOSE_RESPONSE_DRILL", "sessions", 2, "attendees", 14),
                Map.of("kind", "GRIEF", "sessions", 1, "attendees", 6)),
                "pulse", Map.of("respondents", respondents, "compassionSatisfaction", 34.5, "burnout", 27.0,
                        "secondaryTraumaticStress", 25.5));
    }

    private static Map<String, Object> incident(String occurredAt, String kind, Object debrief) {
        Map<String, Object> body = new HashMap<>(Fixtures.outreachIncident());
        body.put("occurredAt", occurredAt);
        body.put("kind", kind);
        if (debrief != null) {
            body.put("debrief", debrief);
        }
        return body;
    }

    @Test
    void aTeamNamedWithSpacesAndAccentsIsStoredAndItsLocationEncoded() {
        String admin = Tokens.of("lakeshore", "org-admin");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(month(7))
                .put("/v1/orgs/lakeshore/resiliency/Équipe de nuit " + System.nanoTime() % 100000 + "/2024-02").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/resiliency/%C3%89quipe%20de%20nuit%20"))
                .body("pulse.respondents", equalTo(7));
    }

    @Test
    void teamsMonthsSitNextToDebriefRates() {
        String admin = Tokens.of("lakeshore", "org-admin");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(month(9)).put("/v1/orgs/lakeshore/resiliency/" + team + "/2024-03")
                .then().statusCode(201).body("pulse.respondents", equalTo(9));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(month(9)).put("/v1/orgs/lakeshore/resiliency/" + team + "/2024-03")
                .then().statusCode(200).header("ETag", equalTo("\"0\""));
        String reporter = Tokens.of("lakeshore", "reporter");
        // March 2024: three critical incidents, two debriefed within 72 h (one too late), and a needlestick.
        for (Object[] i : new Object[][] {
                { "2024-03-02T10:00:00Z", "OVERDOSE", Map.of("held", true, "heldAt", "2024-03-02T11:00:00Z", "kind", "HOT") },
                { "2024-03-10T10:00:00Z", "OVERDOSE", Map.of("held", true, "heldAt", "2024-03-16T10:00:00Z", "kind", "FORMAL") },
                { "2024-03-20T10:00:00Z", "DRUG_EMERGENCY", Map.of("held", true, "heldAt", "2024-03-22T09:00:00Z", "kind", "INDIVIDUAL") },
                { "2024-03-21T10:00:00Z", "NEEDLESTICK", null } }) {
            Map<String, Object> body = incident((String) i[0], (String) i[1], i[2]);
            if (!"OVERDOSE".equals(i[1])) {
                body.remove("substances");
                body.remove("mode");
            }
            given().auth().oauth2(reporter).contentType(ContentType.JSON).body(body).post("/v1/orgs/lakeshore/incidents")
                    .then().statusCode(201);
        }
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("from", "2024-03").queryParam("to", "2024-04")
                .get("/v1/orgs/lakeshore/resiliency").then().statusCode(200)
                .body("months", hasSize(2))
                .body("months[0].month", equalTo("2024-03"))
                .body("months[0].teams.find { it.team == '" + team + "' }.trainings[0].attendees", equalTo(14))
                .body("months[0].incidents.overdoses", equalTo(2))
                .body("months[0].incidents.critical", equalTo(3))
                .body("months[0].incidents.debriefedWithin72h", equalTo(2))
                .body("months[0].incidents.debriefRate", equalTo(0.667f))
                .body("months[1].incidents.debriefRate", nullValue());
        // Riverside sees none of it.
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).queryParam("from", "2024-03").queryParam("to", "2024-03")
                .get("/v1/orgs/riverside/resiliency").then().statusCode(200)
                .body("months[0].incidents.critical", equalTo(0))
                .body("months[0].teams.team.flatten()", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(team)));
    }

    @Test
    void aPulseOfFewerThanFiveIsRefused() {
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).header("Accept-Language", "fr").contentType(ContentType.JSON)
                .body(month(4)).put("/v1/orgs/riverside/resiliency/" + team + "/2024-05").then().statusCode(422)
                .body("errors[0].field", equalTo("pulse.respondents"))
                .body("errors[0].message", equalTo("un sondage exige au moins 5 répondants : moins pourrait identifier quelqu'un"));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).queryParam("from", "2024-05").queryParam("to", "2024-05")
                .get("/v1/orgs/riverside/resiliency").then().statusCode(200)
                .body("months[0].teams.team.flatten()", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(team)));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON)
                .body(Map.of("trainings", List.of(), "pulse", Map.of("respondents", 8, "compassionSatisfaction", 60, "burnout", 20,
                        "secondaryTraumaticStress", 20)))
                .put("/v1/orgs/riverside/resiliency/" + team + "/2024-05").then().statusCode(400)
                .body("errors[0].field", equalTo("pulse.compassionSatisfaction"));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(month(6))
                .put("/v1/orgs/riverside/resiliency/" + team + "/2024-13").then().statusCode(400);
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(month(6))
                .put("/v1/orgs/riverside/resiliency/" + team + "/2024-05").then().statusCode(403);
        given().auth().oauth2(Tokens.of("riverside", "reporter")).get("/v1/orgs/riverside/resiliency").then().statusCode(403);
    }
}
