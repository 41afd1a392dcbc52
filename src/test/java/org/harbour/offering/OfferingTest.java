package org.harbour.offering;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class OfferingTest extends ApiTest {

    @BeforeEach
    void organizations() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
    }

    private static String admin() {
        return Tokens.of("riverside", "org-admin");
    }

    private static String siteIn(String name, String timeZone) {
        Map<String, Object> body = Fixtures.siteBody(name);
        body.put("timeZone", timeZone);
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post("/v1/orgs/riverside/sites")
                .then().statusCode(201).extract().path("id");
    }

    private static void offer(String siteId, String code, Map<String, Object>... slots) {
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("schedule", List.of(slots)))
                .put("/v1/orgs/riverside/sites/" + siteId + "/offerings/" + code).then().statusCode(201);
    }

    private static Map<String, Object> slot(List<String> days, String opens, String closes, String audience) {
        return Map.of("days", days, "opens", opens, "closes", closes, "audience", audience);
    }

    private static List<String> openSites(String at, String... query) {
        var request = given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("at", at);
        for (int i = 0; i < query.length; i += 2) {
            request.queryParam(query[i], query[i + 1]);
        }
        return request.get("/v1/orgs/riverside/open-sites").then().statusCode(200).extract().path("siteId");
    }

    @Test
    void theTaxonomyIsPublicAndBilingual() {
        given().get("/v1/taxonomy/services").then().statusCode(200)
                .body("find { it.code == 'SUPERVISED_INHALATION' }.name", equalTo("Supervised inhalation"))
                .body("find { it.code == 'DRUG_CHECKING_FTIR' }.method", equalTo("FTIR"))
                .body("find { it.code == 'DRUG_CHECKING_FTIR' }.category", equalTo("DRUG_CHECKING"));
        given().header("Accept-Language", "fr-CA").get("/v1/taxonomy/services/SUPERVISED_INHALATION").then().statusCode(200)
                .body("name", equalTo("Inhalation supervisée"))
                .body("nameEn", equalTo("Supervised inhalation"));
        given().get("/v1/taxonomy/services/NO_SUCH_CODE").then().statusCode(404);
    }

    @Test
    void networkAdminsAddCodesAndCannotDeleteOneInUse() {
        String admin = Tokens.of("network", "network-admin");
        Map<String, Object> code = Map.of("code", "TEST_OUTREACH_" + System.nanoTime() % 100000, "category", "HARM_REDUCTION",
                "nameEn", "Outreach", "nameFr", "Travail de proximité");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(code).post("/v1/admin/taxonomy/services")
                .then().statusCode(201).body("nameFr", equalTo("Travail de proximité"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(code).post("/v1/admin/taxonomy/services")
                .then().statusCode(409);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("code", "CHECKING_WITHOUT_METHOD", "category", "DRUG_CHECKING", "nameEn", "x", "nameFr", "x"))
                .post("/v1/admin/taxonomy/services").then().statusCode(422).body("errors[0].field", equalTo("method"));
        given().auth().oauth2(Tokens.of("network", "coordinator")).contentType(ContentType.JSON).body(code)
                .post("/v1/admin/taxonomy/services").then().statusCode(403);

        String site = siteIn("Uses the new code", "America/Toronto");
        offer(site, (String) code.get("code"), Map.of("days", List.of("MONDAY"), "allDay", true));
        given().auth().oauth2(admin).delete("/v1/admin/taxonomy/services/" + code.get("code")).then().statusCode(409)
                .body("type", equalTo("/problems/conflict"));
        given().get("/v1/taxonomy/services/" + code.get("code")).then().statusCode(200);

        Map<String, Object> unused = Map.of("code", "TEST_UNUSED_" + System.nanoTime() % 100000, "category", "HEALTH",
                "nameEn", "Unused", "nameFr", "Inutilisé");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(unused).post("/v1/admin/taxonomy/services")
                .then().statusCode(201);
        given().auth().oauth2(admin).delete("/v1/admin/taxonomy/services/" + unused.get("code")).then().statusCode(204);
        given().get("/v1/taxonomy/services/" + unused.get("code")).then().statusCode(404);
    }

    @Test
    void aSiteOffersAServiceWithASchedule() {
        String site = siteIn("Offers inhalation", "America/Toronto");
        String path = "/v1/orgs/riverside/sites/" + site + "/offerings/SUPERVISED_INHALATION";
        Map<String, Object> body = Map.of("schedule", List.of(slot(List.of("MONDAY", "TUESDAY"), "08:00", "16:00", "ALL"),
                slot(List.of("WEDNESDAY"), "10:00", "14:00", "WOMEN")), "notes", "Ventilated room");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).put(path).then().statusCode(201)
                .header("ETag", equalTo("\"0\""))
                .body("schedule[1].audience", equalTo("WOMEN"))
                .body("schedule[0].opens", equalTo("08:00"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"")
                .body(Map.of("schedule", List.of(Map.of("days", List.of("SUNDAY"), "allDay", true)))).put(path)
                .then().statusCode(200).header("ETag", equalTo("\"1\"")).body("schedule[0].allDay", equalTo(true));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body).put(path)
                .then().statusCode(412);
        given().auth().oauth2(Tokens.of("riverside", "reporter")).get("/v1/orgs/riverside/sites/" + site + "/offerings")
                .then().statusCode(200).body("serviceCode", equalTo(List.of("SUPERVISED_INHALATION")));

        given().auth().oauth2(admin()).queryParam("service", "SUPERVISED_INHALATION").queryParam("limit", 200)
                .get("/v1/orgs/riverside/sites").then().statusCode(200).body("items.id", hasItem(site));
        String other = siteIn("Offers nothing", "America/Toronto");
        given().auth().oauth2(admin()).queryParam("service", "SUPERVISED_INHALATION").queryParam("limit", 200)
                .get("/v1/orgs/riverside/sites").then().statusCode(200).body("items.id", not(hasItem(other)));

        given().auth().oauth2(admin()).delete(path).then().statusCode(204);
        given().auth().oauth2(admin()).get(path).then().statusCode(404);
    }

    @Test
    void badSchedulesAndUnknownThingsAreRefused() {
        String site = siteIn("Bad schedules", "America/Toronto");
        String base = "/v1/orgs/riverside/sites/" + site + "/offerings/";
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("schedule", List.of(Map.of("days", List.of("MONDAY"), "opens", "08:00"))))
                .put(base + "WOUND_CARE").then().statusCode(422).body("errors[0].field", equalTo("schedule[0].opens"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("schedule", List.of(Map.of("days", List.of(), "allDay", true))))
                .put(base + "WOUND_CARE").then().statusCode(400);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("schedule", List.of(Map.of("days", List.of("FUNDAY"), "allDay", true))))
                .put(base + "WOUND_CARE").then().statusCode(400);
        given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("schedule", List.of(slot(List.of("MONDAY"), "8am", "16:00", "ALL"))))
                .put(base + "WOUND_CARE").then().statusCode(400);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("schedule", List.of()))
                .put(base + "NOT_A_SERVICE").then().statusCode(404);

        String lakeshoreSite = Fixtures.site("lakeshore", "Lakeshore offering");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("schedule", List.of()))
                .put("/v1/orgs/riverside/sites/" + lakeshoreSite + "/offerings/WOUND_CARE").then().statusCode(404);
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites/" + lakeshoreSite + "/offerings")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void openSitesAreJudgedInEachSitesOwnTimeZone() {
        String toronto = siteIn("Toronto women-only", "America/Toronto");
        String vancouver = siteIn("Vancouver daytime", "America/Vancouver");
        offer(toronto, "SUPERVISED_INJECTION", slot(List.of("MONDAY"), "10:00", "14:00", "WOMEN"));
        offer(vancouver, "SUPERVISED_INJECTION", slot(List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",
                "SATURDAY", "SUNDAY"), "08:00", "16:00", "ALL"));

        // Monday 2026-11-23 16:00Z: 11:00 in Toronto, 08:00 in Vancouver.
        List<String> women = openSites("2026-11-23T16:00:00Z", "audience", "WOMEN");
        assertTrue(women.contains(toronto) && women.contains(vancouver), women.toString());
        List<String> womenOnly = openSites("2026-11-23T16:00:00Z", "audience", "WOMEN", "dedicated", "true");
        assertTrue(womenOnly.contains(toronto));
        assertFalse(womenOnly.contains(vancouver));
        List<String> everyone = openSites("2026-11-23T16:00:00Z", "audience", "ALL");
        assertFalse(everyone.contains(toronto));
        assertTrue(everyone.contains(vancouver));
        // 15:30Z: 10:30 in Toronto, 07:30 in Vancouver, not open yet there.
        List<String> earlier = openSites("2026-11-23T15:30:00Z");
        assertTrue(earlier.contains(toronto));
        assertFalse(earlier.contains(vancouver));
        // Same instant given with an offset.
        assertEquals(earlier, openSites("2026-11-23T10:30:00-05:00"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("audience", "MEN").get("/v1/orgs/riverside/open-sites")
                .then().statusCode(400).body("errors[0].field", equalTo("audience"));
    }

    @Test
    void overnightSlotsAndDaylightSavingChanges() {
        String overnight = siteIn("Overnight Friday", "America/Halifax");
        offer(overnight, "SUPERVISED_INHALATION", slot(List.of("FRIDAY"), "22:00", "06:00", "ALL"));
        // Saturday 2026-11-28 03:00 in Halifax (UTC-4) is 07:00Z: still Friday's night.
        assertTrue(openSites("2026-11-28T07:00:00Z").contains(overnight));
        // Friday 2026-11-27 03:00 in Halifax belongs to Thursday's night, which there is none of.
        assertFalse(openSites("2026-11-27T07:00:00Z").contains(overnight));
        assertTrue(openSites("2026-11-28T02:30:00Z").contains(overnight));

        String dst = siteIn("Sunday early", "America/Toronto");
        offer(dst, "SUPERVISED_ORAL", slot(List.of("SUNDAY"), "01:00", "04:00", "ALL"));
        // 2026-03-08: Toronto springs forward at 02:00. 07:30Z is 03:30 EDT (open); 08:30Z is 04:30 EDT (closed),
        // though a fixed UTC-5 would call it 03:30.
        assertTrue(openSites("2026-03-08T07:30:00Z").contains(dst));
        assertFalse(openSites("2026-03-08T08:30:00Z").contains(dst));
        // 2026-11-01: Toronto falls back at 02:00. 08:30Z is 03:30 EST (open); 09:30Z is 04:30 EST (closed).
        assertTrue(openSites("2026-11-01T08:30:00Z").contains(dst));
        assertFalse(openSites("2026-11-01T09:30:00Z").contains(dst));
    }
}
