package org.harbour.site;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class SiteResourceTest extends ApiTest {

    private static final String SITES = "/v1/orgs/riverside/sites";

    @BeforeEach
    void organizations() {
        Fixtures.organization(Fixtures.RIVERSIDE);
    }

    private static String admin() {
        return Tokens.of("riverside", "org-admin");
    }

    @Test
    void createsReadsAndReturnsEveryField() {
        Map<String, Object> body = Fixtures.siteBody("Harbour Street");
        body.put("externalRef", "HS-" + UUID.randomUUID());
        Response created = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES);
        created.then().statusCode(201)
                .header("Location", containsString(SITES + "/"))
                .header("ETag", equalTo("\"0\""))
                .body("id", notNullValue())
                .body("name", equalTo("Harbour Street"))
                .body("kind", equalTo("SCS"))
                .body("model", equalTo("STANDALONE"))
                .body("province", equalTo("CA-ON"))
                .body("timeZone", equalTo("America/Toronto"))
                .body("booths", equalTo(8))
                .body("openedOn", equalTo("2019-05-01"))
                .body("status", equalTo("ACTIVE"))
                .body("exemption.issuedOn", equalTo("2025-01-01"))
                .body("exemption.expiresOn", equalTo("2026-01-01"))
                .body("orgId", nullValue());
        String id = created.path("id");

        given().auth().oauth2(Tokens.of("riverside", "viewer")).get(SITES + "/" + id).then().statusCode(200)
                .header("ETag", equalTo("\"0\""))
                .body("name", equalTo("Harbour Street"))
                .body("healthRegion", equalTo("Toronto Region"));
    }

    @Test
    void retryWithTheSameExternalRefReturnsTheExistingSite() {
        Map<String, Object> body = Fixtures.siteBody("Retry Street");
        body.put("externalRef", "RETRY-" + UUID.randomUUID());
        String id = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES)
                .then().statusCode(201).extract().path("id");
        body.put("name", "Retry Street, again");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES)
                .then().statusCode(200).body("id", equalTo(id)).body("name", equalTo("Retry Street"));
        given().auth().oauth2(admin()).queryParam("limit", 200).get(SITES).then().statusCode(200);
        long copies = countSitesNamed("Retry Street");
        assertEquals(1, copies);
    }

    @Test
    void concurrentRetriesWithOneExternalRefCreateOneSite() throws Exception {
        for (int round = 0; round < 5; round++) {
            raceOnce("Racing Street " + round);
        }
    }

    private void raceOnce(String name) throws Exception {
        Map<String, Object> body = Fixtures.siteBody(name);
        body.put("externalRef", "RACE-" + UUID.randomUUID());
        String token = admin();
        // Ten: as many requests as an organization may have under way at once (FairShare).
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            List<java.util.concurrent.Future<Response>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(pool.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(SITES)));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (var call : calls) {
                Response r = call.get();
                assertTrue(r.statusCode() == 201 || r.statusCode() == 200, "status " + r.statusCode() + ": " + r.asString());
                created += r.statusCode() == 201 ? 1 : 0;
                ids.add(r.path("id"));
            }
            assertEquals(1, created);
            assertEquals(1, ids.size());
        } finally {
            pool.shutdown();
        }
        assertEquals(1, countSitesNamed(name));
    }

    private long countSitesNamed(String name) {
        long n = 0;
        String cursor = null;
        do {
            var req = given().auth().oauth2(admin()).queryParam("limit", 200);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            Response page = req.get(SITES);
            List<String> names = page.path("items.name");
            n += names.stream().filter(name::equals).count();
            cursor = page.path("nextCursor");
        } while (cursor != null);
        return n;
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        Map<String, Object> body = Fixtures.siteBody("");
        body.put("province", "ON");
        body.put("booths", -1);
        body.remove("city");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("province"))
                .body("errors.field", hasItem("booths"))
                .body("errors.field", hasItem("city"));
    }

    @Test
    void rejectsAnUnknownTimeZoneAndBrokenRules() {
        // Offsets are refused too: PostgreSQL reads "+05:00" and "UTC+5" the POSIX way, five hours west.
        for (String zone : new String[] { "Canada/Atlantis", "+05:00", "UTC+5", "GMT-03:30", "Z", "SystemV/EST5" }) {
            Map<String, Object> body = Fixtures.siteBody("Bad zone");
            body.put("timeZone", zone);
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body).post(SITES)
                    .then().statusCode(400).body("errors[0].field", equalTo("timeZone"));
        }

        Map<String, Object> rules = Fixtures.siteBody("Bad dates");
        rules.put("closedOn", "2018-01-01");
        rules.put("status", "CLOSED");
        rules.put("exemption", Map.of("number", "X", "issuedOn", "2025-01-01", "expiresOn", "2024-01-01"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(rules).post(SITES)
                .then().statusCode(422)
                .body("type", equalTo("/problems/rule-violated"))
                .body("errors.field", hasItem("closedOn"))
                .body("errors.field", hasItem("exemption.expiresOn"));
    }

    @Test
    void updatesWithIfMatchAndRefusesAStaleOne() {
        String id = Fixtures.site("riverside", "Versioned");
        Map<String, Object> body = Fixtures.siteBody("Versioned, renamed");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body)
                .put(SITES + "/" + id)
                .then().statusCode(200).header("ETag", equalTo("\"1\"")).body("name", equalTo("Versioned, renamed"));

        body.put("name", "Lost update");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(body)
                .put(SITES + "/" + id)
                .then().statusCode(412).contentType("application/problem+json")
                .body("type", equalTo("/problems/precondition-failed"));
        given().auth().oauth2(admin()).get(SITES + "/" + id).then().body("name", equalTo("Versioned, renamed"))
                .body("version", equalTo(1));
    }

    @Test
    void closingKeepsTheSiteWithAClosedDate() {
        String id = Fixtures.site("riverside", "To close");
        given().auth().oauth2(admin()).delete(SITES + "/" + id).then().statusCode(200)
                .body("status", equalTo("CLOSED")).body("closedOn", notNullValue());
        given().auth().oauth2(admin()).get(SITES + "/" + id).then().statusCode(200).body("status", equalTo("CLOSED"));
        given().auth().oauth2(admin()).header("If-Match", "\"0\"").delete(SITES + "/" + id).then().statusCode(412);
    }

    @Test
    void pagesThroughEverySiteOnceWithABoundedLimit() {
        for (int i = 0; i < 5; i++) {
            Fixtures.site("riverside", "Paged " + i);
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = given().auth().oauth2(admin()).queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            Response page = req.get(SITES);
            page.then().statusCode(200).body("items", org.hamcrest.Matchers.hasSize(org.hamcrest.Matchers.lessThanOrEqualTo(2)));
            List<String> ids = page.path("items.id");
            for (String id : ids) {
                assertTrue(seen.add(id), "a site came twice: " + id);
            }
            cursor = page.path("nextCursor");
            if (cursor != null) {
                assertTrue(page.header("Link").contains("rel=\"next\""));
            }
            pages++;
        } while (cursor != null);
        assertTrue(seen.size() >= 5);
        assertTrue(pages >= 3);

        given().auth().oauth2(admin()).queryParam("limit", 201).get(SITES).then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(admin()).queryParam("limit", 0).get(SITES).then().statusCode(400);
        given().auth().oauth2(admin()).queryParam("cursor", "not a cursor!").get(SITES).then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void filtersByProvinceKindAndStatus() {
        Map<String, Object> ops = Fixtures.siteBody("Filter OPS Quebec");
        ops.put("kind", "OPS");
        ops.put("province", "CA-QC");
        ops.put("timeZone", "America/Montreal");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(ops).post(SITES).then().statusCode(201);

        given().auth().oauth2(admin()).queryParam("province", "CA-QC").queryParam("kind", "OPS").queryParam("limit", 200)
                .get(SITES).then().statusCode(200)
                .body("items.name", hasItem("Filter OPS Quebec"))
                .body("items.province", everyItem(equalTo("CA-QC")))
                .body("items.kind", everyItem(equalTo("OPS")));
        given().auth().oauth2(admin()).queryParam("province", "CA-ON").queryParam("limit", 200).get(SITES).then().statusCode(200)
                .body("items.name", not(hasItem("Filter OPS Quebec")));
        given().auth().oauth2(admin()).queryParam("status", "CLOSED").queryParam("limit", 200).get(SITES).then().statusCode(200)
                .body("items.status", everyItem(equalTo("CLOSED")));
        given().auth().oauth2(admin()).queryParam("kind", "CASINO").get(SITES).then().statusCode(400)
                .body("errors[0].field", equalTo("kind"));
    }

    @Test
    void readersReadAndOnlyOrgAdminsWrite() {
        String id = Fixtures.site("riverside", "Roles");
        for (String role : List.of("reporter", "viewer")) {
            given().auth().oauth2(Tokens.of("riverside", role)).get(SITES + "/" + id).then().statusCode(200);
            given().auth().oauth2(Tokens.of("riverside", role)).get(SITES).then().statusCode(200);
            given().auth().oauth2(Tokens.of("riverside", role)).contentType(ContentType.JSON)
                    .body(Fixtures.siteBody("Not allowed")).post(SITES)
                    .then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(Tokens.of("riverside", role)).delete(SITES + "/" + id).then().statusCode(403);
        }
        given().auth().oauth2(Tokens.of("riverside")).get(SITES).then().statusCode(403);
        given().auth().oauth2(admin()).get(SITES + "/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"));
        assertNotNull(id);
    }
}
