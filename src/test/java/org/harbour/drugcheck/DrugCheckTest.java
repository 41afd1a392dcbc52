package org.harbour.drugcheck;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class DrugCheckTest extends ApiTest {

    private static final String CHECKS = "/v1/orgs/riverside/drug-checks";
    String site;
    String takenAt;
    String week;

    @BeforeEach
    void setUp() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        site = Fixtures.site("riverside", "Drug checking");
        // A week of its own, so that the alert counts of each test are its own.
        LocalDate day = LocalDate.of(2020, 1, 6).plusWeeks(new java.util.Random().nextInt(250)).plusDays(2);
        takenAt = day.atTime(15, 0).toInstant(ZoneOffset.UTC).toString();
        week = String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private Map<String, Object> heroinWithNitazene(String siteId) {
        return Map.of("externalRef", "DC-" + UUID.randomUUID(), "siteId", siteId, "takenAt", takenAt, "expected", "HEROIN",
                "sampleKind", "DRUG", "methods", List.of("FTIR", "BENZODIAZEPINE_TEST_STRIP", "XYLAZINE_TEST_STRIP"),
                "results", List.of(
                        Map.of("substance", "NITAZENE", "method", "FTIR", "abundance", "PRIMARY"),
                        Map.of("substance", "CAFFEINE", "method", "FTIR", "percentage", 12.5),
                        Map.of("substance", "BENZODIAZEPINE", "method", "BENZODIAZEPINE_TEST_STRIP", "stripResult", "POSITIVE"),
                        Map.of("substance", "XYLAZINE", "method", "XYLAZINE_TEST_STRIP", "stripResult", "NEGATIVE")));
    }

    private Map<String, Object> alert(String substance) {
        List<Map<String, Object>> items = given().auth().oauth2(Tokens.of("lakeshore", "viewer")).queryParam("province", "CA-ON")
                .queryParam("substance", substance).queryParam("sinceWeek", week).queryParam("limit", 200)
                .get("/v1/network/alerts").then().statusCode(200).extract().path("items");
        return items.stream().filter(a -> week.equals(a.get("week"))).findFirst().orElse(null);
    }

    @Test
    void aSubstanceOfConcernRaisesANetworkAlertWithCountsOnly() {
        Map<String, Object> body = heroinWithNitazene(site);
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(body).post(CHECKS)
                .then().statusCode(201)
                .body("concerns", containsInAnyOrder("NITAZENE", "BENZODIAZEPINE"))
                .body("results", hasSize(4))
                .body("results[1].percentage", equalTo(12.5f));
        Map<String, Object> nitazene = alert("NITAZENE");
        assertEquals(Set.of("substance", "province", "week", "samples", "sites", "firstSeen", "lastSeen", "version"),
                nitazene.keySet(), "an alert names no site, organization or person");
        assertEquals(1, nitazene.get("samples"));
        assertEquals(1, nitazene.get("sites"));
        assertEquals(1, alert("BENZODIAZEPINE").get("samples"));
        assertEquals(null, alert("XYLAZINE"), "a negative strip raises nothing");

        // The same site again: one more sample, still one site; another site: two.
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(heroinWithNitazene(site))
                .post(CHECKS).then().statusCode(201);
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(heroinWithNitazene(Fixtures.site("riverside", "Second checking site"))).post(CHECKS).then().statusCode(201);
        nitazene = alert("NITAZENE");
        assertEquals(3, nitazene.get("samples"));
        assertEquals(2, nitazene.get("sites"));

        // A retry changes nothing.
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(body).post(CHECKS)
                .then().statusCode(200);
        assertEquals(3, alert("NITAZENE").get("samples"));
    }

    @Test
    void fentanylIsOfConcernInAStimulantButNotInAnOpioid() {
        Map<String, Object> stimulant = Map.of("siteId", site, "takenAt", takenAt, "expected", "METHAMPHETAMINE", "sampleKind",
                "USED_EQUIPMENT", "methods", List.of("FENTANYL_TEST_STRIP"),
                "results", List.of(Map.of("substance", "FENTANYL", "method", "FENTANYL_TEST_STRIP", "stripResult", "POSITIVE")));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(stimulant).post(CHECKS)
                .then().statusCode(201).body("concerns", equalTo(List.of("FENTANYL")));
        Map<String, Object> opioid = new java.util.HashMap<>(stimulant);
        opioid.put("expected", "FENTANYL");
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(opioid).post(CHECKS)
                .then().statusCode(201).body("concerns", hasSize(0));
        assertEquals(1, alert("FENTANYL").get("samples"));
    }

    @Test
    void theRulesOfResults() {
        Map<String, Object> body = Map.of("siteId", site, "takenAt", takenAt, "expected", "COCAINE", "sampleKind", "DRUG",
                "methods", List.of("FTIR"), "results", List.of(
                        Map.of("substance", "COCAINE", "method", "MASS_SPECTROMETRY", "abundance", "PRIMARY"),
                        Map.of("substance", "FENTANYL", "method", "FTIR", "stripResult", "POSITIVE")));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(body).post(CHECKS)
                .then().statusCode(422).body("errors.field", hasItems("results[0].method", "results[1].stripResult"));
        Map<String, Object> elsewhere = heroinWithNitazene(Fixtures.site("lakeshore", "Lakeshore checking"));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(elsewhere).post(CHECKS)
                .then().statusCode(422).body("errors[0].field", equalTo("siteId"));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(Map.of("siteId", site, "takenAt", takenAt, "expected", "SPEEDBALL", "sampleKind", "DRUG", "methods",
                        List.of("FTIR"), "results", List.of()))
                .post(CHECKS).then().statusCode(400).body("errors[0].field", equalTo("expected"));
        assertEquals(null, alert("NITAZENE"));
    }

    @Test
    void samplesStayInTheirOrganization() {
        String id = given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(heroinWithNitazene(site)).post(CHECKS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.of("riverside", "viewer")).get(CHECKS + "/" + id).then().statusCode(200)
                .body("siteId", equalTo(site));
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/lakeshore/drug-checks/" + id).then().statusCode(404);
        given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("siteId", site).get(CHECKS).then().statusCode(200)
                .body("items.id", hasItems(id));
        given().auth().oauth2(Tokens.of("network", "researcher")).get("/v1/network/alerts").then().statusCode(403);
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/alerts").then().statusCode(200);
        given().get("/v1/network/alerts").then().statusCode(401);
    }

    @Test
    void alertsStreamAsServerSentEvents() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/network/alerts/stream"))
                .header("Authorization", "Bearer " + Tokens.of("lakeshore", "viewer")).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> response.body()
                .filter(line -> line.startsWith("data:") && line.contains("\"week\":\"" + week + "\"")).findFirst().orElse(null));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(heroinWithNitazene(site))
                .post(CHECKS).then().statusCode(201);
        String data = event.get(20, TimeUnit.SECONDS);
        assertTrue(data.contains("\"province\":\"CA-ON\""), data);
        assertTrue(!data.contains(site) && !data.contains("riverside"), data);
        response.body().close();
    }

    /** Issue 9, point 7: an open stream ends when its token expires, and when its organization is suspended. */
    @Test
    void aStreamEndsWhenItsTokenExpiresOrItsOrganizationIsSuspended() throws Exception {
        Fixtures.organization("westwind");
        HttpResponse<Stream<String>> expiring = openStream(Tokens.expiringIn(2, "lakeshore", "viewer"));
        HttpResponse<Stream<String>> suspended = openStream(Tokens.of("westwind", "viewer"));
        HttpResponse<Stream<String>> coordinator = openStream(Tokens.of("network", "coordinator"));
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newCachedThreadPool();
        CompletableFuture<Long> expiringEnds = CompletableFuture.supplyAsync(() -> expiring.body().count(), readers);
        CompletableFuture<Long> suspendedEnds = CompletableFuture.supplyAsync(() -> suspended.body().count(), readers);
        CompletableFuture<Long> coordinatorEnds = CompletableFuture.supplyAsync(() -> coordinator.body().count(), readers);
        expiringEnds.get(10, TimeUnit.SECONDS);
        assertTrue(!suspendedEnds.isDone(), "an active organization's stream goes on");
        given().auth().oauth2(Fixtures.admin()).post("/v1/admin/organizations/westwind/suspend").then().statusCode(200);
        try {
            suspendedEnds.get(10, TimeUnit.SECONDS);
            Thread.sleep(1000);
            assertTrue(!coordinatorEnds.isDone(), "a valid coordinator's stream goes on");
        } finally {
            given().auth().oauth2(Fixtures.admin()).post("/v1/admin/organizations/westwind/reactivate").then().statusCode(200);
            coordinator.body().close();
            readers.shutdownNow();
        }
    }

    /**
     * Review of issue 9: an atomic import counts its samples in the network's alerts only as it commits (the
     * alert rows, shared by every organization, are not locked for the import's length), and a dry run never.
     */
    @Test
    void importsCountTheirSamplesInAlertsOnlyWhenTheyCommit() throws Exception {
        String line = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                new java.util.HashMap<>(heroinWithNitazene(site)) {
                    {
                        put("type", "drug-check");
                    }
                });
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                .encoderConfig().encodeContentTypeAs("application/x-ndjson", ContentType.TEXT));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType("application/x-ndjson").body(line)
                .post("/v1/orgs/riverside/imports?dryRun=true").then().statusCode(200).body("counts.created", equalTo(1))
                .body("committed", equalTo(false));
        assertEquals(null, alert("NITAZENE"), "a dry run raised an alert");
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType("application/x-ndjson").body(line)
                .post("/v1/orgs/riverside/imports?atomic=true").then().statusCode(200).body("committed", equalTo(true));
        assertEquals(1, alert("NITAZENE").get("samples"));
        assertEquals(1, alert("BENZODIAZEPINE").get("samples"));
    }

    /**
     * Review of issue 9: while one organization's atomic import runs (slowed here by a trigger on its visit days),
     * another's sample counted in the same alert is not kept waiting on the alert's row.
     */
    @Test
    void aLongAtomicImportDoesNotHoldTheAlertsOfOthers() throws Exception {
        String riversideLine = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                new java.util.HashMap<>(heroinWithNitazene(site)) {
                    {
                        put("type", "drug-check");
                    }
                });
        StringBuilder body = new StringBuilder(riversideLine).append('\n');
        String slowSite = Fixtures.site("riverside", "Slow visits " + UUID.randomUUID());
        for (int i = 0; i < 300; i++) {
            body.append("{\"type\":\"visit\",\"siteId\":\"").append(slowSite).append("\",\"date\":\"")
                    .append(LocalDate.of(2021, 1, 1).plusDays(i)).append("\",\"visits\":5}\n");
        }
        String lakeSite = Fixtures.site("lakeshore", "Same alert");
        org.harbour.testsupport.Database.asOwner("create or replace function test_slow_visit() returns trigger language plpgsql as $$ begin "
                + "perform pg_sleep(0.01); return new; end $$");
        org.harbour.testsupport.Database.asOwner("create trigger test_slow_visit before insert on visit_day for each row execute function test_slow_visit()");
        java.util.concurrent.ExecutorService importer = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                    .encoderConfig().encodeContentTypeAs("application/x-ndjson", ContentType.TEXT));
            java.util.concurrent.Future<Integer> running = importer.submit(() -> given().auth().oauth2(Tokens.of("riverside", "reporter"))
                    .contentType("application/x-ndjson").body(body.toString()).post("/v1/orgs/riverside/imports?atomic=true").statusCode());
            Thread.sleep(1000);
            long started = System.nanoTime();
            given().auth().oauth2(Tokens.of("lakeshore", "reporter")).contentType(ContentType.JSON).body(heroinWithNitazene(lakeSite))
                    .post("/v1/orgs/lakeshore/drug-checks").then().statusCode(201);
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertTrue(!running.isDone(), "the import was still running");
            assertTrue(waited < 1500, "lakeshore's sample waited " + waited + " ms on riverside's import");
            assertEquals(200, running.get(60, TimeUnit.SECONDS));
            assertEquals(2, alert("NITAZENE").get("samples"));
        } finally {
            importer.shutdownNow();
            org.harbour.testsupport.Database.asOwner("drop trigger test_slow_visit on visit_day");
        }
    }

    /** Review of issue 9: a stream is held for its token's life, so an organization has at most 10 open at once. */
    @Test
    void anOrganizationHasAtMostTenStreamsOpen() throws Exception {
        Fixtures.organization("quayside");
        List<HttpResponse<Stream<String>>> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(openStream(Tokens.of("quayside", "viewer")));
            }
            HttpRequest eleventh = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/network/alerts/stream"))
                    .header("Authorization", "Bearer " + Tokens.of("quayside", "viewer")).header("Accept", "text/event-stream").build();
            HttpResponse<String> refused = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(eleventh, HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode());
            assertTrue(refused.body().contains("/problems/busy"), refused.body());
            // Streams have their own share: ten open take none of the organization's requests under way.
            given().auth().oauth2(Tokens.of("quayside", "viewer")).get("/v1/orgs/quayside/sites").then().statusCode(200);
            open.remove(0).body().close();
            boolean again = false;
            for (int i = 0; i < 50 && !again; i++) {
                Thread.sleep(100);
                HttpResponse<Stream<String>> retry = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                        .send(eleventh, HttpResponse.BodyHandlers.ofLines());
                again = retry.statusCode() == 200;
                if (again) {
                    open.add(retry);
                } else {
                    retry.body().close();
                }
            }
            assertTrue(again, "a closed stream gives its place back");
        } finally {
            open.forEach(r -> r.body().close());
        }
    }

    private static HttpResponse<Stream<String>> openStream(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/network/alerts/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return response;
    }
}
