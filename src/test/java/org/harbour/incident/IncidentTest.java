package org.harbour.incident;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
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
class IncidentTest extends ApiTest {

    private static final String INCIDENTS = "/v1/orgs/riverside/incidents";
    String site;

    @BeforeEach
    void site() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        site = Fixtures.site("riverside", "Incidents here");
    }

    static Map<String, Object> overdose(String site) {
        Map<String, Object> body = new HashMap<>();
        body.put("externalRef", "INC-" + UUID.randomUUID());
        body.put("siteId", site);
        body.put("occurredAt", "2026-10-20T23:14:00-04:00");
        body.put("location", "WASHROOM");
        body.put("kind", "OVERDOSE");
        body.put("substances", List.of("FENTANYL", "BENZODIAZEPINE"));
        body.put("mode", "INHALATION");
        body.put("response", Map.of("naloxoneDoses", 2, "naloxoneRoute", "INTRAMUSCULAR", "oxygen", true,
                "bagValveMask", true, "peerNaloxoneBeforeStaff", false, "emsCalled", true, "emsAttended", true,
                "policeAttended", false));
        body.put("outcome", "TRANSPORTED");
        body.put("flailingInSmallSpace", true);
        body.put("note", "Found on the floor of washroom 2; responded in under a minute.");
        body.put("emptyReasons", Map.of("response.rescueBreathing", "NOT_APPLICABLE"));
        body.put("debrief", Map.of("held", true, "heldAt", "2026-10-21T00:30:00-04:00", "kind", "HOT"));
        return body;
    }

    private static String reporter() {
        return Tokens.of("riverside", "reporter");
    }

    @Test
    void recordsEveryFieldAndARetryReturnsTheSameIncident() {
        Map<String, Object> body = overdose(site);
        String id = given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(201)
                .body("occurredAt", equalTo("2026-10-21T03:14:00Z"))
                .body("substances", containsInAnyOrder("FENTANYL", "BENZODIAZEPINE"))
                .body("response.naloxoneDoses", equalTo(2))
                .body("response.bagValveMask", equalTo(true))
                .body("response.rescueBreathing", nullValue())
                .body("emptyReasons.'response.rescueBreathing'", equalTo("NOT_APPLICABLE"))
                .body("debrief.kind", equalTo("HOT"))
                .body("note", equalTo("Found on the floor of washroom 2; responded in under a minute."))
                .extract().path("id");
        body.put("outcome", "DEATH");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(200).body("id", equalTo(id)).body("outcome", equalTo("TRANSPORTED"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get(INCIDENTS + "/" + id).then().statusCode(200)
                .header("ETag", equalTo("\"0\"")).body("flailingInSmallSpace", equalTo(true));
    }

    @Test
    void anOverdoseNeedsAModeAndASubstanceOrUnknown() {
        Map<String, Object> body = overdose(site);
        body.remove("mode");
        body.remove("substances");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(422).body("errors.field", hasItems("mode", "substances"));
        body.put("mode", "UNKNOWN");
        body.put("substances", List.of("UNKNOWN", "FENTANYL"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(422).body("errors.field", equalTo(List.of("substances")));
        body.put("substances", List.of("UNKNOWN"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS).then().statusCode(201);

        Map<String, Object> needlestick = new HashMap<>(Map.of("siteId", site, "occurredAt", "2026-10-01T12:00:00Z",
                "location", "INSIDE", "kind", "NEEDLESTICK"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(needlestick).post(INCIDENTS).then().statusCode(201);
    }

    @Test
    void fieldRulesAreNamed() {
        Map<String, Object> body = overdose(site);
        body.put("response", Map.of("naloxoneDoses", 21));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(400).body("errors[0].field", equalTo("response.naloxoneDoses"));

        Map<String, Object> rules = overdose(site);
        rules.put("occurredAt", "2099-01-01T00:00:00Z");
        rules.put("emptyReasons", Map.of("mode", "UNKNOWN", "note", "NOT_ASSESSED"));
        rules.put("debrief", Map.of("held", true, "heldAt", "2026-10-20T00:00:00Z"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(rules).post(INCIDENTS)
                .then().statusCode(422)
                .body("errors.field", hasItems("occurredAt", "emptyReasons.mode", "emptyReasons.note", "debrief.kind"));

        Map<String, Object> outreach = overdose(site);
        outreach.remove("siteId");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(outreach).post(INCIDENTS)
                .then().statusCode(422).body("errors[0].field", equalTo("siteId"));
        outreach.put("location", "OUTREACH");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(outreach).post(INCIDENTS).then().statusCode(201)
                .body("siteId", nullValue());

        Map<String, Object> elsewhere = overdose(Fixtures.site("lakeshore", "Not riverside's"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(elsewhere).post(INCIDENTS)
                .then().statusCode(422).body("errors[0].field", equalTo("siteId"));

        Map<String, Object> kind = overdose(site);
        kind.put("kind", "FIGHT");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(kind).post(INCIDENTS)
                .then().statusCode(400).body("errors[0].field", equalTo("kind"));
    }

    @Test
    void aDeathCannotBeEditedAwayWithoutAReason() {
        Map<String, Object> body = overdose(site);
        body.put("outcome", "DEATH");
        String id = given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(201).extract().path("id");
        body.put("outcome", "TRANSPORTED");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).put(INCIDENTS + "/" + id)
                .then().statusCode(422).body("errors[0].field", equalTo("correctionReason"));
        given().auth().oauth2(reporter()).get(INCIDENTS + "/" + id).then().body("outcome", equalTo("DEATH"));

        body.put("correctionReason", "Coroner's report: the person survived; the death was recorded by mistake.");
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body)
                .put(INCIDENTS + "/" + id).then().statusCode(200).header("ETag", equalTo("\"1\""))
                .body("outcome", equalTo("TRANSPORTED"))
                .body("correctionReason", equalTo("Coroner's report: the person survived; the death was recorded by mistake."));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body)
                .put(INCIDENTS + "/" + id).then().statusCode(412);
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).queryParam("entityId", id).get("/v1/orgs/riverside/audit")
                .then().statusCode(200).body("items[0].changes.outcome.from", equalTo("DEATH"))
                .body("items[0].changes.outcome.to", equalTo("TRANSPORTED"));
    }

    @Test
    void recordingTheDebriefLater() {
        Map<String, Object> body = overdose(site);
        body.remove("debrief");
        String id = given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS)
                .then().statusCode(201).body("debrief", nullValue()).extract().path("id");
        body.put("debrief", Map.of("held", true, "heldAt", "2026-10-22T15:00:00Z", "kind", "FORMAL"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).put(INCIDENTS + "/" + id)
                .then().statusCode(200).body("debrief.kind", equalTo("FORMAL"));
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).put(INCIDENTS + "/" + id)
                .then().statusCode(200).header("ETag", equalTo("\"1\""));
    }

    @Test
    void filtersAndPagesNewestFirst() {
        String other = Fixtures.site("riverside", "Filtered site");
        for (int i = 1; i <= 5; i++) {
            Map<String, Object> body = overdose(other);
            body.put("occurredAt", "2026-09-0" + i + "T10:00:00Z");
            body.put("outcome", i % 2 == 0 ? "RESOLVED_ON_SITE" : "TRANSPORTED");
            given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(body).post(INCIDENTS).then().statusCode(201);
        }
        var first = given().auth().oauth2(reporter()).queryParam("siteId", other).queryParam("limit", 3).get(INCIDENTS);
        first.then().statusCode(200).body("items", hasSize(3))
                .body("items.occurredAt", equalTo(List.of("2026-09-05T10:00:00Z", "2026-09-04T10:00:00Z", "2026-09-03T10:00:00Z")));
        String cursor = first.path("nextCursor");
        given().auth().oauth2(reporter()).queryParam("siteId", other).queryParam("limit", 3).queryParam("cursor", cursor)
                .get(INCIDENTS).then().statusCode(200)
                .body("items.occurredAt", equalTo(List.of("2026-09-02T10:00:00Z", "2026-09-01T10:00:00Z")))
                .body("nextCursor", nullValue());
        given().auth().oauth2(reporter()).queryParam("siteId", other).queryParam("outcome", "RESOLVED_ON_SITE").get(INCIDENTS)
                .then().body("items", hasSize(2)).body("items.outcome", everyItem(equalTo("RESOLVED_ON_SITE")));
        given().auth().oauth2(reporter()).queryParam("siteId", other).queryParam("from", "2026-09-02T00:00:00Z")
                .queryParam("to", "2026-09-04T00:00:00Z").get(INCIDENTS).then().body("items", hasSize(2));
        given().auth().oauth2(reporter()).queryParam("kind", "NEEDLESTICK").queryParam("siteId", other).get(INCIDENTS)
                .then().body("items", hasSize(0));
    }

    @Test
    void anotherOrganizationsIncidentIsNotFound() {
        Map<String, Object> body = overdose(Fixtures.site("lakeshore", "Lakeshore incident site"));
        String id = given().auth().oauth2(Tokens.of("lakeshore", "reporter")).contentType(ContentType.JSON).body(body)
                .post("/v1/orgs/lakeshore/incidents").then().statusCode(201).extract().path("id");
        given().auth().oauth2(reporter()).get(INCIDENTS + "/" + id).then().statusCode(404);
        given().auth().oauth2(reporter()).contentType(ContentType.JSON).body(overdose(site)).put(INCIDENTS + "/" + id)
                .then().statusCode(404);
        given().auth().oauth2(reporter()).queryParam("limit", 200).get(INCIDENTS).then().body("items.id", not(hasItem(id)));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).contentType(ContentType.JSON).body(overdose(site))
                .post(INCIDENTS).then().statusCode(403);
    }
}
