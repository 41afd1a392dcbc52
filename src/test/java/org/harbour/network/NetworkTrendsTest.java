package org.harbour.network;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The coordinator's trends through HTTP, on data posted through the members' own write paths: every figure
 * is known in advance, corrections move counts instead of adding them, concurrent writers lose nothing.
 * Two organizations of their own (tidewater in Nova Scotia, prairie in Manitoba and Saskatchewan) keep
 * the other suites' data out of the figures, through the organization filter.
 */
@QuarkusTest
class NetworkTrendsTest extends ApiTest {

    static final String TIDE = "tidewater";
    static final String PRAIRIE = "prairie";
    static final String ORGS = TIDE + "," + PRAIRIE;
    static String harbourSite;
    static String shoreSite;
    static String plainsSite;
    static String deathId;

    @BeforeEach
    void network() {
        if (harbourSite != null) {
            return;
        }
        organization(TIDE, List.of("CA-NS"));
        organization(PRAIRIE, List.of("CA-MB", "CA-SK"));
        harbourSite = site(TIDE, "Harbour SCS", "SCS", "CA-NS", "Central Zone", "America/Halifax", "2023-06-01", null);
        shoreSite = site(TIDE, "Shore OPS", "OPS", "CA-NS", "Eastern Zone", "America/Halifax", "2024-01-15", null);
        plainsSite = site(PRAIRIE, "Plains van", "MOBILE", "CA-MB", "Winnipeg", "America/Winnipeg", "2024-02-01", "2024-03-01");

        // January 2024: ten days of 100 visits at the harbour site, one day of 50 at the shore site.
        for (int day = 1; day <= 10; day++) {
            visits(TIDE, harbourSite, LocalDate.of(2024, 1, day), 100);
        }
        visits(TIDE, shoreSite, LocalDate.of(2024, 1, 20), 50);
        visits(PRAIRIE, plainsSite, LocalDate.of(2024, 2, 10), 200);
        // January 2024 at the harbour site: three overdoses (naloxone in two, EMS called and transported in one,
        // one death), debriefed within 72 h for two of them; one needlestick, which is no critical incident.
        incident(TIDE, harbourSite, "2024-01-03T15:00:00Z", "OVERDOSE", 2, true, "TRANSPORTED", "2024-01-04T15:00:00Z");
        incident(TIDE, harbourSite, "2024-01-05T15:00:00Z", "OVERDOSE", 1, false, "RESOLVED_ON_SITE", "2024-01-09T15:00:00Z");
        deathId = incident(TIDE, harbourSite, "2024-01-07T15:00:00Z", "OVERDOSE", 0, true, "DEATH", "2024-01-07T20:00:00Z");
        incident(TIDE, harbourSite, "2024-01-08T15:00:00Z", "NEEDLESTICK", null, null, "RESOLVED_ON_SITE", null);
        // Just after midnight UTC on February 1st, still January 31st in Halifax: a January incident.
        incident(TIDE, harbourSite, "2024-02-01T02:00:00Z", "OVERDOSE", 1, false, "RESOLVED_ON_SITE", null);
        // An outreach overdose of the prairie organization, which serves two provinces: in no province.
        incident(PRAIRIE, null, "2024-02-12T12:00:00Z", "OVERDOSE", 1, true, "REFUSED_TRANSPORT", null);
    }

    @Test
    void monthlyFiguresByProvinceAreExactAndNullWhereNothingWasReported() {
        JsonPath trends = trends("measures=visits,overdoses,overdosesPer1000Visits,naloxoneShare,emsCalledShare,transportedShare,"
                + "deaths,debriefedWithin72hShare,sitesOpen,sitesReporting,completeness&by=month,province&from=2024-01&to=2024-03");
        assertEquals(List.of("month", "province"), trends.getList("by"));
        Map<String, Object> ns = row(trends, "month", "2024-01", "province", "CA-NS");
        assertEquals(1050, ns.get("visits"));
        assertEquals(4, ns.get("overdoses"));
        assertEquals(3.81, ((Number) ns.get("overdosesPer1000Visits")).doubleValue(), 1e-6); // 4 * 1000 / 1050
        assertEquals(0.75, ((Number) ns.get("naloxoneShare")).doubleValue(), 1e-6);
        assertEquals(0.5, ((Number) ns.get("emsCalledShare")).doubleValue(), 1e-6);
        assertEquals(0.25, ((Number) ns.get("transportedShare")).doubleValue(), 1e-6);
        assertEquals(1, ns.get("deaths"));
        assertEquals(0.5, ((Number) ns.get("debriefedWithin72hShare")).doubleValue(), 1e-6);
        assertEquals(2, ns.get("sitesOpen"));
        assertEquals(2, ns.get("sitesReporting"));
        assertEquals(1.0, ((Number) ns.get("completeness")).doubleValue(), 1e-6);

        // March: both Nova Scotia sites open, nothing reported: counts and shares null, never 0 by default.
        Map<String, Object> march = row(trends, "month", "2024-03", "province", "CA-NS");
        assertNull(march.get("visits"));
        assertNull(march.get("overdoses"));
        assertNull(march.get("overdosesPer1000Visits"));
        assertNull(march.get("naloxoneShare"));
        assertEquals(2, march.get("sitesOpen"));
        assertEquals(0, march.get("sitesReporting"));
        assertEquals(0.0, ((Number) march.get("completeness")).doubleValue(), 1e-6);

        // February in Manitoba: the van opened on the 1st and closed on March 1st, so it is open in March too.
        Map<String, Object> mb = row(trends, "month", "2024-02", "province", "CA-MB");
        assertEquals(200, mb.get("visits"));
        assertEquals(0, mb.get("overdoses"));
        assertEquals(1, mb.get("sitesOpen"));
        assertEquals(1, row(trends, "month", "2024-03", "province", "CA-MB").get("sitesOpen"));
        // The prairie outreach overdose counts in no province: its organization serves two.
        Map<String, Object> none = row(trends, "month", "2024-02", "province", null);
        assertEquals(1, none.get("overdoses"));
        assertNull(none.get("visits"));
        assertNull(none.get("overdosesPer1000Visits"));
    }

    @Test
    void everyPeriodHasItsRowAndTotalsAddUp() {
        JsonPath monthly = trends("measures=visits,overdoses&by=month&from=2023-11&to=2024-04");
        assertEquals(List.of("2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"), monthly.getList("rows.month"));
        JsonPath whole = trends("measures=visits,overdoses,sitesOpen&from=2024-01&to=2024-02");
        assertEquals(1, whole.getList("rows").size());
        assertEquals(1250, whole.getInt("rows[0].visits"));
        assertEquals(5, whole.getInt("rows[0].overdoses"));
        assertEquals(3, whole.getInt("rows[0].sitesOpen"));
        // Across several months a site counts once, open or reporting; by month, once a month.
        JsonPath months = trends("measures=sitesOpen,sitesReporting&by=month&from=2024-01&to=2024-03");
        JsonPath quarter = trends("measures=sitesOpen,sitesReporting&by=quarter&from=2024-01&to=2024-03");
        List<Integer> monthlyReporting = months.getList("rows.sitesReporting", Integer.class);
        assertEquals(List.of(2, 3, 3), months.getList("rows.sitesOpen", Integer.class));
        assertEquals(3, quarter.getInt("rows[0].sitesOpen"));
        int reporting = quarter.getInt("rows[0].sitesReporting");
        org.junit.jupiter.api.Assertions.assertTrue(reporting >= java.util.Collections.max(monthlyReporting) && reporting <= 3,
                "a site reporting in several months counts once in the quarter: " + reporting + " from " + monthlyReporting);
        JsonPath quarterly = trends("measures=visits&by=quarter,organization&from=2024-01&to=2024-06");
        assertEquals(1050, row(quarterly, "quarter", "2024-Q1", "organization", TIDE).get("visits"));
        assertEquals(200, row(quarterly, "quarter", "2024-Q1", "organization", PRAIRIE).get("visits"));
        assertNull(row(quarterly, "quarter", "2024-Q2", "organization", TIDE).get("visits"));
        // ISO weeks: 2024-01-01 is the Monday of 2024-W01.
        JsonPath weekly = trends("measures=visits&by=week&from=2024-01-01&to=2024-01-21");
        assertEquals(List.of("2024-W01", "2024-W02", "2024-W03"), weekly.getList("rows.week"));
        assertEquals(List.of(700, 300, 50), weekly.getList("rows.visits"));
    }

    @Test
    void filtersBySiteKindRegionAndService() {
        assertEquals(1000, trends("measures=visits&siteKind=SCS&from=2024-01&to=2024-01").getInt("rows[0].visits"));
        assertEquals(50, trends("measures=visits&healthRegion=Eastern Zone&from=2024-01&to=2024-01").getInt("rows[0].visits"));
        assertEquals(200, trends("measures=visits&province=CA-MB&from=2024-01&to=2024-03").getInt("rows[0].visits"));
        given().auth().oauth2(Tokens.of(TIDE, "org-admin")).contentType(ContentType.JSON)
                .body(Map.of("schedule", List.of(Map.of("days", List.of("MONDAY"), "allDay", true))))
                .put("/v1/orgs/" + TIDE + "/sites/" + harbourSite + "/offerings/NALOXONE_DISTRIBUTION")
                .then().statusCode(201);
        JsonPath offered = trends("measures=visits,sitesOpen&service=NALOXONE_DISTRIBUTION&from=2024-01&to=2024-01");
        assertEquals(1000, offered.getInt("rows[0].visits"));
        assertEquals(1, offered.getInt("rows[0].sitesOpen"));
    }

    @Test
    void correctionsMoveCountsInsteadOfAddingThem() {
        String late = incident(TIDE, harbourSite, "2024-05-10T15:00:00Z", "OVERDOSE", 1, false, "TRANSPORTED", null);
        assertEquals(1, trends("measures=overdoses&siteKind=SCS&from=2024-05&to=2024-05").getInt("rows[0].overdoses"));
        // Moved to the shore site and to June, outcome changed: out of May and the SCS, into June and the OPS.
        Map<String, Object> corrected = incidentBody(shoreSite, "2024-06-02T15:00:00Z", "OVERDOSE", 1, false, "RESOLVED_ON_SITE", null);
        given().auth().oauth2(Tokens.of(TIDE, "reporter")).contentType(ContentType.JSON).body(corrected)
                .put("/v1/orgs/" + TIDE + "/incidents/" + late).then().statusCode(200);
        JsonPath after = trends("measures=overdoses,transportedShare&by=month,siteKind&from=2024-05&to=2024-06");
        assertEquals(0, row(after, "month", "2024-05", "siteKind", "SCS").get("overdoses"));
        assertNull(row(after, "month", "2024-05", "siteKind", "SCS").get("transportedShare"));
        assertEquals(1, row(after, "month", "2024-06", "siteKind", "OPS").get("overdoses"));
        assertEquals(0.0, ((Number) row(after, "month", "2024-06", "siteKind", "OPS").get("transportedShare")).doubleValue());

        // A visit day replaced, then removed.
        visits(TIDE, shoreSite, LocalDate.of(2024, 6, 3), 40);
        visits(TIDE, shoreSite, LocalDate.of(2024, 6, 3), 30);
        assertEquals(30, trends("measures=visits&siteKind=OPS&from=2024-06&to=2024-06").getInt("rows[0].visits"));
        given().auth().oauth2(Tokens.of(TIDE, "reporter")).delete("/v1/orgs/" + TIDE + "/sites/" + shoreSite + "/visits/2024-06-03")
                .then().statusCode(204);
        JsonPath removed = trends("measures=visits,sitesReporting&siteKind=OPS&from=2024-06&to=2024-06");
        assertNull(removed.get("rows[0].visits"));
        assertEquals(0, removed.getInt("rows[0].sitesReporting"));
    }

    @Test
    void aDeathCorrectedWithItsReasonLeavesTheDeaths() {
        assertEquals(1, trends("measures=deaths&from=2024-01&to=2024-01").getInt("rows[0].deaths"));
        Map<String, Object> body = incidentBody(harbourSite, "2024-01-07T15:00:00Z", "OVERDOSE", 0, true, "TRANSPORTED",
                "2024-01-07T20:00:00Z");
        body.put("correctionReason", "Entered in the wrong record");
        given().auth().oauth2(Tokens.of(TIDE, "org-admin")).contentType(ContentType.JSON).body(body)
                .put("/v1/orgs/" + TIDE + "/incidents/" + deathId).then().statusCode(200);
        JsonPath after = trends("measures=deaths,overdoses,transportedShare&from=2024-01&to=2024-01&organization=" + TIDE);
        assertEquals(0, after.getInt("rows[0].deaths"));
        assertEquals(4, after.getInt("rows[0].overdoses"));
        assertEquals(0.5, after.getDouble("rows[0].transportedShare"), 1e-6);
        body.put("outcome", "DEATH");
        given().auth().oauth2(Tokens.of(TIDE, "org-admin")).contentType(ContentType.JSON).body(body)
                .put("/v1/orgs/" + TIDE + "/incidents/" + deathId).then().statusCode(200);
        assertEquals(1, trends("measures=deaths&from=2024-01&to=2024-01").getInt("rows[0].deaths"));
    }

    @Test
    void concurrentWritersToOneSiteAndMonthLoseNoUpdate() throws Exception {
        String site = site(PRAIRIE, "Busy site", "OPS", "CA-SK", "Saskatoon", "America/Regina", "2024-07-01", null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < 10; i++) {
                    ok += given().auth().oauth2(Tokens.of(PRAIRIE, "reporter")).contentType(ContentType.JSON)
                            .body(incidentBody(site, "2024-08-" + String.format("%02d", 1 + thread) + "T18:00:00Z", "OVERDOSE", 1,
                                    i % 2 == 0, "RESOLVED_ON_SITE", null))
                            .post("/v1/orgs/" + PRAIRIE + "/incidents").statusCode() == 201 ? 1 : 0;
                    ok += given().auth().oauth2(Tokens.of(PRAIRIE, "reporter")).contentType(ContentType.JSON)
                            .body(Map.of("visits", 10 + thread)).put("/v1/orgs/" + PRAIRIE + "/sites/" + site + "/visits/2024-08-"
                                    + String.format("%02d", 1 + thread + 8 * (i % 3)))
                            .statusCode() / 100 == 2 ? 1 : 0;
                }
                return ok;
            }));
        }
        int acknowledged = 0;
        for (Future<Integer> f : results) {
            acknowledged += f.get();
        }
        pool.shutdown();
        assertEquals(160, acknowledged);
        JsonPath august = trends("measures=overdoses,emsCalledShare,visits&province=CA-SK&from=2024-08&to=2024-08");
        assertEquals(80, august.getInt("rows[0].overdoses"));
        assertEquals(0.5, august.getDouble("rows[0].emsCalledShare"), 1e-6);
        // Each thread wrote three distinct days (the same day again replaces it): 3 days × (10 + thread) visits.
        int expected = 0;
        for (int t = 0; t < 8; t++) {
            expected += 3 * (10 + t);
        }
        assertEquals(expected, august.getInt("rows[0].visits"));
    }

    @Test
    void acrossMonthsASiteIsCountedOnceAndItsMonthsEach() {
        // The van was open in February and March 2024 (closed on March 1st) and had visits in February.
        String van = "&siteKind=MOBILE&organization=" + PRAIRIE;
        JsonPath half = trends("measures=sitesOpen,sitesReporting,completeness&by=province&from=2024-01&to=2024-06" + van);
        assertEquals(1, row(half, "province", "CA-MB").get("sitesOpen"));
        assertEquals(1, row(half, "province", "CA-MB").get("sitesReporting"));
        assertEquals(0.5, ((Number) row(half, "province", "CA-MB").get("completeness")).doubleValue(), 1e-9);
        JsonPath quarters = trends("measures=sitesOpen,sitesReporting,completeness&by=quarter,province&from=2024-02&to=2024-06" + van);
        assertEquals(1, row(quarters, "quarter", "2024-Q1", "province", "CA-MB").get("sitesOpen"));
        assertEquals(1, row(quarters, "quarter", "2024-Q1", "province", "CA-MB").get("sitesReporting"));
        assertEquals(0.5, ((Number) row(quarters, "quarter", "2024-Q1", "province", "CA-MB").get("completeness")).doubleValue(), 1e-9);
        assertEquals(0, row(quarters, "quarter", "2024-Q2", "province", "CA-MB").get("sitesOpen"));
        assertNull(row(quarters, "quarter", "2024-Q2", "province", "CA-MB").get("completeness"));
        JsonPath year = trends("measures=sitesOpen,sitesReporting&by=year&from=2024-03&to=2024-12" + van);
        assertEquals(1, year.getInt("rows[0].sitesOpen"));
        assertEquals(0, year.getInt("rows[0].sitesReporting"));
    }

    @Test
    void aSiteThatChangesKindProvinceOrTimeZoneTakesItsHistoryAlong() {
        String lantern = PRAIRIE;
        String site = site(lantern, "Lantern house", "HOUSING", "CA-SK", "Regina", "America/Toronto", "2024-01-01", null);
        visits(lantern, site, LocalDate.of(2024, 3, 5), 40);
        // 23:30 on March 31st in Toronto, 00:30 on April 1st in Halifax.
        incident(lantern, site, "2024-04-01T03:30:00Z", "OVERDOSE", 1, true, "RESOLVED_ON_SITE", null);
        String mine = "&siteKind=HOUSING,HOSPITAL&organization=" + lantern;
        String query = "measures=visits,overdoses,sitesReporting&by=month,province&from=2024-03&to=2024-04" + mine;
        JsonPath before = trends(query);
        assertEquals(40, row(before, "month", "2024-03", "province", "CA-SK").get("visits"));
        assertEquals(1, row(before, "month", "2024-03", "province", "CA-SK").get("overdoses"));
        assertEquals(1, row(before, "month", "2024-03", "province", "CA-SK").get("sitesReporting"));

        Map<String, Object> moved = new LinkedHashMap<>(Fixtures.siteBody("Lantern hospital"));
        moved.put("kind", "HOSPITAL");
        moved.put("province", "CA-MB");
        moved.put("healthRegion", "Interlake");
        moved.put("timeZone", "America/Halifax");
        moved.put("openedOn", "2024-01-01");
        moved.remove("exemption");
        given().auth().oauth2(Tokens.of(lantern, "org-admin")).contentType(ContentType.JSON).header("If-Match", "\"0\"").body(moved)
                .put("/v1/orgs/" + lantern + "/sites/" + site).then().statusCode(200);

        // The network sums (province, kind) and the sites' own rollups (health region) both moved, nothing doubled.
        JsonPath after = trends(query);
        assertEquals(List.of("CA-MB"), after.getList("rows.province").stream().distinct().toList());
        assertEquals(40, row(after, "month", "2024-03", "province", "CA-MB").get("visits"));
        assertEquals(0, row(after, "month", "2024-03", "province", "CA-MB").get("overdoses"));
        assertEquals(1, row(after, "month", "2024-03", "province", "CA-MB").get("sitesReporting"));
        assertEquals(1, row(after, "month", "2024-04", "province", "CA-MB").get("overdoses"));
        assertNull(row(after, "month", "2024-04", "province", "CA-MB").get("visits"));
        JsonPath kinds = trends("measures=visits,overdoses&by=siteKind&from=2024-03&to=2024-04" + mine);
        assertEquals(List.of("HOSPITAL"), kinds.getList("rows.siteKind"));
        assertEquals(1, kinds.getInt("rows[0].overdoses"));
        JsonPath regions = trends("measures=visits,overdoses&by=month,healthRegion&from=2024-03&to=2024-04" + mine);
        assertEquals(List.of("Interlake"), regions.getList("rows.healthRegion").stream().distinct().toList());
        assertEquals(0, row(regions, "month", "2024-03", "healthRegion", "Interlake").get("overdoses"));
        assertEquals(1, row(regions, "month", "2024-04", "healthRegion", "Interlake").get("overdoses"));
    }

    /** Dates the rollups cannot place (before 1900, or a site's dates past 2100) are refused where they are written. */
    @Test
    void datesOutOfRangeAreRefusedAndTrendsKeepAnswering() {
        Map<String, Object> ancient = incidentBody(null, "-4713-11-24T12:00:00Z", "OVERDOSE", 1, false, "RESOLVED_ON_SITE", null);
        ancient.put("externalRef", "ANCIENT-" + java.util.UUID.randomUUID());
        given().auth().oauth2(Tokens.of(PRAIRIE, "reporter")).contentType(ContentType.JSON).body(ancient)
                .post("/v1/orgs/" + PRAIRIE + "/incidents").then().statusCode(422).body("errors[0].field", equalTo("occurredAt"));
        given().auth().oauth2(Tokens.of(PRAIRIE, "reporter")).contentType(ContentType.JSON).body(Map.of("visits", 1))
                .put("/v1/orgs/" + PRAIRIE + "/sites/" + plainsSite + "/visits/1850-01-01").then().statusCode(422)
                .body("errors[0].field", equalTo("date"));
        Map<String, Object> far = new LinkedHashMap<>(Fixtures.siteBody("Far future"));
        far.put("openedOn", "+300000-01-01");
        far.remove("exemption");
        given().auth().oauth2(Tokens.of(PRAIRIE, "org-admin")).contentType(ContentType.JSON).body(far)
                .post("/v1/orgs/" + PRAIRIE + "/sites").then().statusCode(422).body("errors[0].field", equalTo("openedOn"));
        assertEquals(1, trends("measures=sitesOpen,sitesReporting&from=2024-02&to=2024-03&siteKind=MOBILE&organization=" + PRAIRIE)
                .getInt("rows[0].sitesOpen"));
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String dbUrl;

    /** A trend query waits for a fold held elsewhere 5 s at most, then says to retry; the next one answers. */
    @Test
    void aTrendQueryWaitsForAFoldRunningElsewhereAtMostFiveSeconds() throws Exception {
        try (java.sql.Connection holder = java.sql.DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app");
                java.sql.Connection writer = java.sql.DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app");
                java.sql.Statement hold = holder.createStatement(); java.sql.Statement write = writer.createStatement()) {
            holder.setAutoCommit(false);
            hold.execute("select pg_advisory_xact_lock(hashtext('harbour.rollup_fold'))");
            // Something pending, so that the query has to fold (a delta that adds nothing).
            write.execute("select set_config('harbour.org', '" + PRAIRIE + "', false)");
            write.execute("insert into rollup_delta (org_id, site_id, grain, period) values ('" + PRAIRIE + "', gen_random_uuid(), 'DAY', "
                    + "'2024-01-01')");
            given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/trends?organization=" + PRAIRIE)
                    .then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
            holder.rollback();
        }
        trends("measures=visits&from=2024-01&to=2024-01");
    }

    @Test
    void drugCheckingSharesPerSubstanceOfConcern() {
        drugCheck(harbourSite, "2024-09-03T15:00:00Z", "FENTANYL", "XYLAZINE");
        drugCheck(harbourSite, "2024-09-04T15:00:00Z", "FENTANYL", "CARFENTANIL");
        drugCheck(harbourSite, "2024-09-05T15:00:00Z", "FENTANYL", null);
        drugCheck(harbourSite, "2024-09-06T15:00:00Z", "FENTANYL", "XYLAZINE");
        JsonPath september = trends("measures=drugCheckSamples,samplesWithXylazineShare,samplesWithCarfentanilShare,"
                + "samplesWithNitazeneShare&from=2024-09&to=2024-09&organization=" + TIDE);
        assertEquals(4, september.getInt("rows[0].drugCheckSamples"));
        assertEquals(0.5, september.getDouble("rows[0].samplesWithXylazineShare"), 1e-6);
        assertEquals(0.25, september.getDouble("rows[0].samplesWithCarfentanilShare"), 1e-6);
        assertEquals(0.0, september.getDouble("rows[0].samplesWithNitazeneShare"), 1e-6);
    }

    @Test
    void theAnswerSpeaksTheCallersLanguage() {
        given().auth().oauth2(Tokens.of("network", "coordinator")).header("Accept-Language", "fr-CA")
                .get("/v1/network/trends?from=2024-01&to=2024-01&organization=" + ORGS)
                .then().statusCode(200).body("notes[0]", containsString("clients uniques"));
        given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/trends?from=2024-01&to=2024-01&organization=" + ORGS)
                .then().statusCode(200).body("notes[0]", containsString("Unique clients"))
                .body("measures", equalTo(List.of("visits", "overdoses", "overdosesPer1000Visits")));
    }

    @Test
    void theDataDictionaryDefinesEveryMeasureInBothLanguages() {
        JsonPath en = given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/measures")
                .then().statusCode(200).extract().jsonPath();
        JsonPath fr = given().auth().oauth2(Tokens.of("network", "coordinator")).header("Accept-Language", "fr")
                .get("/v1/network/measures").then().statusCode(200).extract().jsonPath();
        List<String> names = en.getList("measures.name");
        for (String required : List.of("visits", "overdoses", "overdosesPer1000Visits", "naloxoneShare", "emsCalledShare",
                "transportedShare", "deaths", "debriefedWithin72hShare", "sitesOpen", "sitesReporting", "completeness",
                "drugCheckSamples", "samplesWithCarfentanilShare", "samplesWithXylazineShare")) {
            org.hamcrest.MatcherAssert.assertThat(names, hasItem(required));
        }
        assertEquals(names, fr.getList("measures.name"));
        assertEquals("overdoses at sites (outreach excluded), times 1,000",
                en.getString("measures.find { it.name == 'overdosesPer1000Visits' }.numerator"));
        assertEquals("visites déclarées", fr.getString("measures.find { it.name == 'overdosesPer1000Visits' }.denominator"));
        assertEquals("PER_1000_VISITS", en.getString("measures.find { it.name == 'overdosesPer1000Visits' }.unit"));
        assertNull(en.get("measures.find { it.name == 'visits' }.denominator"));
        org.hamcrest.MatcherAssert.assertThat(fr.getString("measures.find { it.name == 'samplesWithXylazineShare' }.definition"),
                containsString("la xylazine"));
    }

    @Test
    void badRequestsAreProblemsNamingTheParameter() {
        bad("measures=visits,uniqueClients", "measures");
        bad("by=month,province,siteKind", "by");
        bad("by=month,year", "by");
        bad("by=day", "by");
        bad("from=2024-05&to=2024-01", "to");
        bad("from=2024-13", "from");
        bad("from=1999-01", "from");
        bad("from=2010-01&to=2024-01", "to");
        bad("period=LAST_12_MONTHS&from=2024-01", "period");
        bad("period=SOMETIME", "period");
        bad("province=ON", "province");
        bad("siteKind=CLINIC", "siteKind");
        bad("organization=Not A Slug", "organization");
        bad("service=x", "service");
        bad("province=CA-ON,,CA-QC", "province");
        bad("organization=" + "a1,".repeat(60) + "a1", "organization");
        bad("healthRegion=" + "x".repeat(201), "healthRegion"); // sites store up to 200
        bad("healthRegion=Central\u0000Zone", "healthRegion");
        // Ten years of weeks for each of two organizations is more rows than an answer may hold.
        bad("by=week,organization&from=2015-01&to=2024-12&organization=" + ORGS, "by");
        given().auth().oauth2(Tokens.of("network", "coordinator")).header("Accept-Language", "fr")
                .get("/v1/network/trends?by=month,year")
                .then().statusCode(400).body("errors[0].message", containsString("au plus deux dimensions"));
    }

    @Test
    void emptyParametersMeanAbsent() {
        assertEquals(12, trends("measures=visits&by=month&from=&to=").getList("rows").size());
        assertEquals(12, trends("measures=visits&by=month&period=&from=").getList("rows").size());
    }

    @Test
    void periodsRelativeToToday() {
        LocalDate today = LocalDate.now(ZoneId.of("America/Toronto"));
        JsonPath last12 = trends("measures=visits&by=month&period=LAST_12_MONTHS");
        assertEquals(12, last12.getList("rows").size());
        assertEquals(today.minusMonths(1).toString().substring(0, 7), last12.getString("rows[11].month"));
        assertEquals(today.minusMonths(12).withDayOfMonth(1).toString(), last12.getString("from"));
        JsonPath lastYear = trends("measures=visits&by=quarter&period=LAST_YEAR");
        assertEquals(List.of((today.getYear() - 1) + "-Q1", (today.getYear() - 1) + "-Q2", (today.getYear() - 1) + "-Q3",
                (today.getYear() - 1) + "-Q4"), lastYear.getList("rows.quarter"));
        assertEquals(today.toString(), trends("period=THIS_YEAR").getString("to"));
    }

    @Test
    void coverageCountsServicesAudiencesAndOpenNowInEachSitesZone() {
        String women = site(TIDE, "Women's space", "OPS", "CA-NS", "Central Zone", "America/Halifax", "2025-06-01", null);
        offering(TIDE, women, "SUPERVISED_INHALATION", List.of(
                Map.of("days", List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"), "opens", "09:00", "closes", "17:00",
                        "audience", "WOMEN"),
                Map.of("days", List.of("SATURDAY"), "opens", "09:00", "closes", "17:00", "audience", "TRANS")));
        offering(TIDE, harbourSite, "SUPERVISED_INJECTION", List.of(Map.of("days",
                List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"), "allDay", true)));
        // Monday 2026-11-23 10:00 in Halifax (14:00 UTC): both open; the women-only hours serve women only.
        JsonPath monday = given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/coverage?province=CA-NS&at=2026-11-23T14:00:00Z").then().statusCode(200).extract().jsonPath();
        assertEquals("province", monday.getString("by"));
        assertEquals(1, monday.getList("rows").size());
        assertEquals("CA-NS", monday.getString("rows[0].province"));
        assertEquals(3, monday.getInt("rows[0].sitesOpen"));
        assertEquals(1, monday.getInt("rows[0].services.SUPERVISED_INHALATION"));
        assertEquals(1, monday.getInt("rows[0].services.SUPERVISED_INJECTION"));
        assertEquals(0, monday.getInt("rows[0].services.WOUND_CARE"));
        assertEquals(1, monday.getInt("rows[0].womenOnlyHours"));
        assertEquals(1, monday.getInt("rows[0].transOnlyHours"));
        assertEquals(0, monday.getInt("rows[0].youthHours"));
        assertEquals(1, monday.getInt("rows[0].open24Hours"));
        assertEquals(1, monday.getInt("rows[0].openNow.ALL"));
        assertEquals(2, monday.getInt("rows[0].openNow.WOMEN"));
        assertEquals(1, monday.getInt("rows[0].openNow.TRANS"));
        // 21:00 UTC is 17:00 in Halifax: the women-only hours have closed.
        JsonPath evening = given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/coverage?province=CA-NS&by=healthRegion&at=2026-11-23T21:00:00Z")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("Central Zone", "Eastern Zone"), evening.getList("rows.healthRegion"));
        Map<String, Object> central = evening.getMap("rows.find { it.healthRegion == 'Central Zone' }");
        assertEquals(2, central.get("sitesOpen"));
        assertEquals(1, ((Map<?, ?>) central.get("openNow")).get("WOMEN"));
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/coverage?by=city")
                .then().statusCode(400).body("errors[0].field", equalTo("by"));
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/coverage?province=Ontario")
                .then().statusCode(400).body("errors[0].field", equalTo("province"));
        given().auth().oauth2(Tokens.of("network", "coordinator")).queryParam("at", "+1000000000-12-31T23:59:59Z")
                .get("/v1/network/coverage")
                .then().statusCode(400).body("errors[0].field", equalTo("at"));
    }

    @Test
    void exemptionsDueExpiredFirstThenSoonest() {
        LocalDate today = LocalDate.now(ZoneId.of("America/Regina"));
        String expired = site(PRAIRIE, "Expired exemption", "SCS", "CA-SK", "Regina", "America/Regina", "2025-01-01", null,
                today.minusDays(3));
        String soon = site(PRAIRIE, "Renewal soon", "SCS", "CA-SK", "Regina", "America/Regina", "2025-01-01", null,
                today.plusDays(30));
        String later = site(PRAIRIE, "Renewal later", "SCS", "CA-SK", "Regina", "America/Regina", "2025-01-01", null,
                today.plusDays(200));
        JsonPath due = given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/exemptions?expiringWithinDays=90&organization=" + PRAIRIE).then().statusCode(200).extract().jsonPath();
        assertEquals(90, due.getInt("expiringWithinDays"));
        assertEquals(List.of(expired, soon), due.getList("items.siteId"));
        assertEquals(-3, due.getInt("items[0].daysLeft"));
        assertEquals(true, due.getBoolean("items[0].expired"));
        assertEquals(30, due.getInt("items[1].daysLeft"));
        assertEquals(today.plusDays(30).toString(), due.getString("items[1].expiresOn"));
        assertEquals("Society prairie", due.getString("items[1].organizationNameEn"));
        JsonPath wider = given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/exemptions?expiringWithinDays=365&organization=" + PRAIRIE).then().statusCode(200).extract().jsonPath();
        org.hamcrest.MatcherAssert.assertThat(wider.getList("items.siteId"), hasItem(later));
        // A closed site's exemption is no longer due.
        given().auth().oauth2(Tokens.of(PRAIRIE, "org-admin")).delete("/v1/orgs/" + PRAIRIE + "/sites/" + soon).then().statusCode(200);
        given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/exemptions?organization=" + PRAIRIE).then().statusCode(200).body("items", hasSize(1))
                .body("items[0].siteId", equalTo(expired));
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/exemptions?expiringWithinDays=100000")
                .then().statusCode(400);
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/exemptions?expiringWithinDays=-1")
                .then().statusCode(400);
    }

    @Test
    void coordinatorPathsShowNoRowLevelData() {
        String body = given().auth().oauth2(Tokens.of("network", "coordinator"))
                .get("/v1/network/trends?measures=visits,overdoses,deaths&by=month,organization&from=2024-01&to=2024-12")
                .then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(body, org.hamcrest.Matchers.not(containsString(harbourSite)));
        org.hamcrest.MatcherAssert.assertThat(body, org.hamcrest.Matchers.not(containsString("INC-")));
    }

    @jakarta.inject.Inject
    @io.quarkus.agroal.DataSource("network")
    io.agroal.api.AgroalDataSource networkDatabase;

    /** The read path cannot write and cannot run long, whatever the role's settings where it is deployed. */
    @Test
    void theCoordinatorsConnectionsAreReadOnlyWithATimeout() throws Exception {
        try (java.sql.Connection c = networkDatabase.getConnection(); java.sql.Statement st = c.createStatement()) {
            java.sql.ResultSet rs = st.executeQuery("SHOW default_transaction_read_only");
            rs.next();
            assertEquals("on", rs.getString(1));
            rs = st.executeQuery("SHOW statement_timeout");
            rs.next();
            assertEquals("15s", rs.getString(1));
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> st.executeUpdate("UPDATE site_rollup SET visits = 0"));
            assertEquals("25006", refused.getSQLState()); // read_only_sql_transaction
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static JsonPath trends(String query) {
        String orgFilter = query.contains("organization=") ? "" : "&organization=" + ORGS;
        return given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/trends?" + query + orgFilter)
                .then().statusCode(200).extract().jsonPath();
    }

    private static void bad(String query, String field) {
        given().auth().oauth2(Tokens.of("network", "coordinator")).get("/v1/network/trends?" + query)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    private static Map<String, Object> row(JsonPath trends, String k1, String v1) {
        List<Map<String, Object>> rows = trends.getList("rows");
        return rows.stream().filter(r -> java.util.Objects.equals(r.get(k1), v1)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + k1 + "=" + v1 + " in " + rows));
    }

    private static Map<String, Object> row(JsonPath trends, String k1, String v1, String k2, String v2) {
        List<Map<String, Object>> rows = trends.getList("rows");
        return rows.stream().filter(r -> java.util.Objects.equals(r.get(k1), v1) && java.util.Objects.equals(r.get(k2), v2))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + k1 + "=" + v1 + ", " + k2 + "=" + v2 + " in " + rows));
    }

    private static void organization(String slug, List<String> provinces) {
        Map<String, Object> body = Fixtures.organizationBody(slug, slug);
        body.put("provinces", provinces);
        int status = given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post("/v1/admin/organizations")
                .statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("organization " + slug + ": " + status);
        }
    }

    static String site(String org, String name, String kind, String province, String region, String zone, String openedOn,
            String closedOn) {
        return site(org, name, kind, province, region, zone, openedOn, closedOn, null);
    }

    static String site(String org, String name, String kind, String province, String region, String zone, String openedOn,
            String closedOn, LocalDate exemptionExpires) {
        Map<String, Object> body = new LinkedHashMap<>(Fixtures.siteBody(name));
        body.put("kind", kind);
        body.put("province", province);
        body.put("healthRegion", region);
        body.put("timeZone", zone);
        body.put("openedOn", openedOn);
        if (closedOn != null) {
            body.put("closedOn", closedOn);
            body.put("status", "CLOSED");
        }
        if (exemptionExpires != null) {
            body.put("exemption", Map.of("number", "EX-" + name.hashCode(), "issuedOn", exemptionExpires.minusYears(1).toString(),
                    "expiresOn", exemptionExpires.toString()));
        } else {
            body.remove("exemption");
        }
        return given().auth().oauth2(Tokens.of(org, "org-admin")).contentType(ContentType.JSON).body(body)
                .post("/v1/orgs/" + org + "/sites").then().statusCode(201).extract().path("id");
    }

    private static void visits(String org, String site, LocalDate day, int visits) {
        given().auth().oauth2(Tokens.of(org, "reporter")).contentType(ContentType.JSON).body(Map.of("visits", visits))
                .put("/v1/orgs/" + org + "/sites/" + site + "/visits/" + day).then().statusCode(oneOf(200, 201));
    }

    private static Map<String, Object> incidentBody(String site, String at, String kind, Integer naloxone, Boolean ems, String outcome,
            String debriefAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (site != null) {
            body.put("siteId", site);
        }
        body.put("occurredAt", at);
        body.put("location", site == null ? "OUTREACH" : "INSIDE");
        body.put("kind", kind);
        if (kind.equals("OVERDOSE")) {
            body.put("substances", List.of("FENTANYL"));
            body.put("mode", "INHALATION");
        }
        Map<String, Object> response = new LinkedHashMap<>();
        if (naloxone != null) {
            response.put("naloxoneDoses", naloxone);
        }
        if (ems != null) {
            response.put("emsCalled", ems);
        }
        body.put("response", response);
        body.put("outcome", outcome);
        if (debriefAt != null) {
            body.put("debrief", Map.of("held", true, "heldAt", debriefAt, "kind", "HOT"));
        }
        return body;
    }

    private static String incident(String org, String site, String at, String kind, Integer naloxone, Boolean ems, String outcome,
            String debriefAt) {
        Map<String, Object> body = incidentBody(site, at, kind, naloxone, ems, outcome, debriefAt);
        body.put("externalRef", "TREND-" + java.util.UUID.randomUUID());
        return given().auth().oauth2(Tokens.of(org, "reporter")).contentType(ContentType.JSON).body(body)
                .post("/v1/orgs/" + org + "/incidents").then().statusCode(201).extract().path("id");
    }

    private static void drugCheck(String site, String at, String expected, String concern) {
        List<Map<String, Object>> results = new ArrayList<>();
        results.add(Map.of("substance", "FENTANYL", "method", "FTIR", "abundance", "PRIMARY"));
        if (concern != null) {
            results.add(Map.of("substance", concern, "method", "FTIR", "abundance", "TRACE"));
        }
        given().auth().oauth2(Tokens.of(TIDE, "reporter")).contentType(ContentType.JSON)
                .body(Map.of("siteId", site, "takenAt", at, "expected", expected, "sampleKind", "DRUG", "methods", List.of("FTIR"),
                        "results", results))
                .post("/v1/orgs/" + TIDE + "/drug-checks").then().statusCode(201);
    }

    private static void offering(String org, String site, String service, List<Map<String, Object>> schedule) {
        given().auth().oauth2(Tokens.of(org, "org-admin")).contentType(ContentType.JSON).body(Map.of("schedule", schedule))
                .put("/v1/orgs/" + org + "/sites/" + site + "/offerings/" + service).then().statusCode(oneOf(200, 201));
    }
}
