package org.harbour.research;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Inject;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Research extracts, through HTTP, on data built to break the guarantees: a lone incident in its province,
 * a site with three incidents among sites with dozens, counts of 1 to 9, notes and references that must
 * never leave. Everything happens in 2016, a year no other suite writes to.
 */
@QuarkusTest
class ResearchExtractTest extends ApiTest {

    static final String RESEARCHER = "network-user-researcher";
    static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern TIME = Pattern.compile("\\d:\\d\\d");
    static final ObjectMapper JSON = new ObjectMapper();

    static boolean seeded;
    static final List<String> SITES = new ArrayList<>();
    static final List<String> SECRETS = new ArrayList<>();

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        String a = site(Fixtures.RIVERSIDE, "Research A, Main St", "SCS", "CA-BC", "America/Vancouver");
        String b = site(Fixtures.RIVERSIDE, "Research B", "OPS", "CA-BC", "America/Vancouver");
        String c = site(Fixtures.RIVERSIDE, "Research C", "MOBILE", "CA-AB", "America/Edmonton");
        String c2 = site(Fixtures.RIVERSIDE, "Research C2", "MOBILE", "CA-AB", "America/Edmonton");
        String d = site(Fixtures.LAKESHORE, "Research D", "SCS", "CA-AB", "America/Edmonton");
        // 25 at A and 3 at B in March, 12 at C and 2 at C2 in April, 1 at D in May: 43 incidents.
        for (int i = 1; i <= 25; i++) {
            incident(Fixtures.RIVERSIDE, a, String.format("2016-03-%02dT19:30:00Z", i), i % 5 == 0 ? "DEATH" : "RESOLVED_ON_SITE", i);
        }
        for (int i = 1; i <= 3; i++) {
            incident(Fixtures.RIVERSIDE, b, "2016-03-0" + i + "T19:30:00Z", "TRANSPORTED", 100 + i);
        }
        for (int i = 1; i <= 12; i++) {
            incident(Fixtures.RIVERSIDE, c, String.format("2016-04-%02dT19:30:00Z", i), "RESOLVED_ON_SITE", 200 + i);
        }
        incident(Fixtures.RIVERSIDE, c2, "2016-04-20T19:30:00Z", "RESOLVED_ON_SITE", 250);
        incident(Fixtures.RIVERSIDE, c2, "2016-04-21T19:30:00Z", "RESOLVED_ON_SITE", 251);
        incident(Fixtures.LAKESHORE, d, "2016-05-10T19:30:00Z", "DEATH", 300);
        // A week across a quarter's edge (2017-W13: 27 March to 2 April), three incidents on each side.
        for (int i = 0; i < 3; i++) {
            incident(Fixtures.RIVERSIDE, a, "2017-03-30T19:3" + i + ":00Z", "RESOLVED_ON_SITE", 400 + i);
            incident(Fixtures.RIVERSIDE, b, "2017-04-01T19:3" + i + ":00Z", "RESOLVED_ON_SITE", 410 + i);
        }
        for (int i = 1; i <= 12; i++) {
            given().auth().oauth2(Tokens.of(Fixtures.RIVERSIDE, "reporter")).contentType(ContentType.JSON)
                    .body(Map.of("siteId", a, "externalRef", "RES-DC-" + UUID.randomUUID(), "takenAt",
                            String.format("2016-03-%02dT18:00:00Z", i), "expected", "FENTANYL", "sampleKind", "DRUG", "methods",
                            List.of("FTIR", "FENTANYL_TEST_STRIP"), "results", List.of(
                                    Map.of("substance", "FENTANYL", "method", "FTIR", "abundance", "PRIMARY"),
                                    Map.of("substance", i % 2 == 0 ? "XYLAZINE" : "CAFFEINE", "method", "FTIR", "abundance", "TRACE"))))
                    .post("/v1/orgs/riverside/drug-checks").then().statusCode(201);
        }
        for (int day = 1; day <= 5; day++) {
            given().auth().oauth2(Tokens.of(Fixtures.RIVERSIDE, "reporter")).contentType(ContentType.JSON)
                    .body(Map.of("visits", 60, "uniqueClients", 40, "byMode", Map.of("injection", 50, "inhalation", 9, "intranasal", 1),
                            "turnedAway", Map.of("youth", 1, "full", 4)))
                    .put("/v1/orgs/riverside/sites/" + a + "/visits/2016-03-0" + day).then().statusCode(201);
        }
        given().auth().oauth2(Tokens.of(Fixtures.RIVERSIDE, "org-admin")).contentType(ContentType.JSON)
                .body(Map.of("trainings", List.of(Map.of("kind", "GRIEF", "sessions", 2, "attendees", 11)), "pulse",
                        Map.of("respondents", 6, "compassionSatisfaction", 31.26, "burnout", 27, "secondaryTraumaticStress", 24)))
                .put("/v1/orgs/riverside/resiliency/Night shift Main St/2016-03").then().log().ifValidationFails().statusCode(201);
        given().auth().oauth2(Tokens.of(Fixtures.RIVERSIDE, "org-admin")).contentType(ContentType.JSON)
                .body(Map.of("trainings", List.of(Map.of("kind", "GRIEF", "sessions", 1, "attendees", 3))))
                .put("/v1/orgs/riverside/resiliency/Outreach van/2016-03").then().statusCode(201);
        SITES.addAll(List.of(a, b, c, c2, d));
        seeded = true;
    }

    private static String site(String org, String name, String kind, String province, String zone) {
        Map<String, Object> body = Fixtures.siteBody(name);
        body.put("kind", kind);
        body.put("province", province);
        body.put("timeZone", zone);
        body.put("openedOn", "2015-01-01");
        body.put("externalRef", "RES-SITE-" + UUID.randomUUID());
        return given().auth().oauth2(Tokens.of(org, "org-admin")).contentType(ContentType.JSON).body(body)
                .post("/v1/orgs/" + org + "/sites").then().statusCode(201).extract().path("id");
    }

    private static void incident(String org, String site, String at, String outcome, int n) {
        String note = "SECRET-NOTE-" + n + " client Jane Doe";
        String ref = "RES-INC-" + n + "-" + UUID.randomUUID();
        SECRETS.add(note);
        SECRETS.add(ref);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("externalRef", ref);
        body.put("siteId", site);
        body.put("occurredAt", at);
        body.put("location", "INSIDE");
        body.put("kind", "OVERDOSE");
        body.put("substances", List.of("FENTANYL", "XYLAZINE"));
        body.put("mode", "INHALATION");
        body.put("response", Map.of("naloxoneDoses", n % 4, "emsCalled", n % 2 == 0));
        body.put("outcome", outcome);
        body.put("note", note);
        body.put("debrief", Map.of("held", true, "heldAt", at.replace("T19:30", "T21:30"), "kind", "HOT"));
        given().auth().oauth2(Tokens.of(org, "reporter")).contentType(ContentType.JSON).body(body)
                .post("/v1/orgs/" + org + "/incidents").then().statusCode(201);
    }

    // ---- helpers ----

    static String project(List<String> researchers, List<String> datasets, Integer k, boolean keepSite) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", "Overdose response in 2016");
        body.put("purpose", "Naloxone doses and outcomes at supervised sites.");
        body.put("researchers", researchers);
        body.put("datasets", datasets);
        body.put("from", "2016-01");
        body.put("to", "2016-12");
        if (k != null) {
            body.put("k", k);
        }
        body.put("expiresOn", LocalDate.now().plusYears(1).toString());
        body.put("keepSiteIdentity", keepSite);
        return given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/research-projects").then().statusCode(201).header("Location", org.hamcrest.Matchers.containsString("/v1/admin/research-projects/"))
                .extract().path("id");
    }

    static String researcher() {
        return Tokens.of("network", "researcher");
    }

    static Map<String, Object> request(String dataset, String format, String grain) {
        Map<String, Object> body = new HashMap<>();
        body.put("dataset", dataset);
        body.put("format", format);
        body.put("from", "2016-01");
        body.put("to", "2016-12");
        if (grain != null) {
            body.put("grain", grain);
        }
        return body;
    }

    /** Asks for the extract and waits until it is READY; returns its status document. */
    static JsonNode extract(String project, Map<String, Object> body) {
        Response r = given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(body)
                .post("/v1/research/projects/" + project + "/extracts");
        r.then().statusCode(202).body("status", equalTo("QUEUED"));
        return await(r.header("Location"), "READY");
    }

    static JsonNode await(String location, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String body = given().auth().oauth2(researcher()).get(location).then().statusCode(200).extract().asString();
            JsonNode node = read(body);
            if (node.get("status").asText().equals(status)) {
                return node;
            }
            if (System.nanoTime() > deadline || (node.get("status").asText().equals("FAILED") && !status.equals("FAILED"))) {
                throw new AssertionError("extract " + location + " is " + body);
            }
            sleep(200);
        }
    }

    static byte[] download(String project, JsonNode extract) {
        return given().auth().oauth2(researcher()).get("/v1/research/projects/" + project + "/extracts/" + extract.get("id").asText()
                + "/file").then().statusCode(200).contentType("application/gzip").extract().asByteArray();
    }

    static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV's rows as maps (the files hold no quoted field: codes, pseudonyms and numbers only). */
    static List<Map<String, String>> csv(String text) {
        String[] lines = text.split("\r\n");
        String[] header = lines[0].split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",", -1);
            assertEquals(header.length, fields.length, "line " + i + ": " + lines[i]);
            Map<String, String> row = new LinkedHashMap<>();
            for (int f = 0; f < header.length; f++) {
                row.put(header[f], fields[f]);
            }
            rows.add(row);
        }
        return rows;
    }

    static JsonNode dictionary(String project, JsonNode extract, String language) {
        return read(given().auth().oauth2(researcher()).header("Accept-Language", language)
                .get("/v1/research/projects/" + project + "/extracts/" + extract.get("id").asText() + "/dictionary").then()
                .statusCode(200).extract().asString());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- projects ----

    @Test
    void aProjectIsApprovedWithDefaultsAndItsKeyIsNeverShown() {
        String id = project(List.of(RESEARCHER), List.of("incidents"), null, false);
        String body = given().auth().oauth2(Fixtures.admin()).get("/v1/admin/research-projects/" + id).then().statusCode(200)
                .body("k", equalTo(10)).body("status", equalTo("ACTIVE")).body("from", equalTo("2016-01"))
                .body("keepSiteIdentity", equalTo(false)).extract().asString();
        assertFalse(body.toLowerCase().contains("key\""), body);
        given().auth().oauth2(researcher()).get("/v1/research/projects").then().statusCode(200)
                .body("items.id", hasItem(id));
        given().auth().oauth2(Tokens.forSubject("someone-else", "network", "researcher")).get("/v1/research/projects").then()
                .statusCode(200).body("items.id", not(hasItem(id)));
    }

    @Test
    void kBelowFiveAnUnknownDatasetOrAWindowBackwardsAreRefused() {
        Map<String, Object> body = new HashMap<>(Map.of("title", "t", "purpose", "p", "researchers", List.of(RESEARCHER),
                "datasets", List.of("incidents"), "from", "2016-01", "to", "2016-12", "k", 4, "expiresOn", "2030-01-01"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post("/v1/admin/research-projects")
                .then().statusCode(400).body("errors.field", hasItem("k"));
        body.put("k", 5);
        body.put("datasets", List.of("notes"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post("/v1/admin/research-projects")
                .then().statusCode(400);
        body.put("datasets", List.of("incidents"));
        body.put("from", "2006-01");
        body.put("to", "2016-12");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post("/v1/admin/research-projects")
                .then().statusCode(422).body("errors.field", hasItem("to")).body("errors.message", hasItem(containsString("10 years")));
        body.put("from", "2017-01");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body).post("/v1/admin/research-projects")
                .then().statusCode(422).body("errors.field", hasItem("to"));
    }

    // ---- guarantees ----

    @Test
    void incidentsAreKAnonymousRecomputedFromTheFileAlone() {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        JsonNode extract = extract(project, request("incidents", "csv", "month"));
        // By site kind at month grain, A's 25 come from one site (it would be recognized), B's 3 and D's 1 are under k;
        // grouping site kinds leaves only D's lone incident.
        assertEquals("month", extract.at("/generalizations/period").asText());
        assertEquals("group", extract.at("/generalizations/siteKind").asText());
        assertEquals(1, extract.get("suppressedRows").asLong());
        assertEquals(42, extract.get("rows").asLong());
        assertEquals(100, extract.at("/progress/percent").asInt());

        List<Map<String, String>> rows = csv(gunzip(download(project, extract)));
        assertEquals(42, rows.size());
        JsonNode dictionary = dictionary(project, extract, "en");
        List<String> qis = new ArrayList<>();
        dictionary.get("columns").forEach(c -> {
            if (c.get("quasiIdentifier").asBoolean()) {
                qis.add(c.get("name").asText());
            }
        });
        assertEquals(List.of("organization", "province", "siteKind", "period"), qis);
        Map<List<String>, Integer> classes = new HashMap<>();
        for (Map<String, String> row : rows) {
            classes.merge(qis.stream().map(row::get).toList(), 1, Integer::sum);
        }
        classes.forEach((combination, n) -> assertTrue(n >= 10, combination + " occurs " + n + " times"));
        assertEquals(Set.of("SUPERVISED_SITE", "MOBILE_OR_PARAMEDIC"), Set.copyOf(rows.stream().map(r -> r.get("siteKind")).toList()));
        assertEquals(Set.of("2016-03", "2016-04"), Set.copyOf(rows.stream().map(r -> r.get("period")).toList()));
        assertEquals("3+", rows.stream().map(r -> r.get("naloxoneDoses")).filter("3+"::equals).findFirst().orElse(null));
        assertEquals("FENTANYL;XYLAZINE", rows.get(0).get("substances"));
        assertEquals("true", rows.get(0).get("debriefedWithin72h"));
    }

    @Test
    void aHigherKGeneralizesFurtherAndTheDictionarySaysSoInFrench() {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 25, false);
        JsonNode extract = extract(project, request("incidents", "jsonl", "week"));
        // No generalization keeps 95 % of the rows at k = 25: the one that loses least is kept (month, site kind groups).
        assertEquals("month", extract.at("/generalizations/period").asText());
        assertEquals(28, extract.get("rows").asLong());
        assertEquals(15, extract.get("suppressedRows").asLong());
        String text = gunzip(download(project, extract));
        Map<List<String>, Integer> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            JsonNode row = read(line);
            classes.merge(List.of(row.path("organization").asText("*"), row.path("province").asText(), row.path("siteKind").asText(),
                    row.path("period").asText()), 1, Integer::sum);
        }
        classes.forEach((combination, n) -> assertTrue(n >= 25, combination + " occurs " + n + " times"));
        assertEquals(extract.get("rows").asLong(), text.split("\n").length);
        assertEquals(43, extract.get("rows").asLong() + extract.get("suppressedRows").asLong());
        JsonNode fr = dictionary(project, extract, "fr-CA");
        String period = fr.get("columns").findValues("name").stream().map(JsonNode::asText).toList().contains("period") ? "ok" : "";
        assertEquals("ok", period);
        assertTrue(fr.get("protection").asText().contains("quasi-identifiants"), fr.toString());
        assertTrue(fr.toString().contains("jamais une date"), fr.toString());
    }

    /** All 12 samples come from site A: a file without site identity cannot hold them, whatever the generalization. */
    @Test
    void rowsOfASingleSiteAreSuppressedUnlessTheProjectMayTellSitesApart() {
        String hidden = project(List.of(RESEARCHER), List.of("drug-checks"), 5, false);
        JsonNode extract = extract(hidden, request("drug-checks", "csv", "month"));
        assertEquals(0, extract.get("rows").asLong());
        assertEquals(12, extract.get("suppressedRows").asLong());
        assertEquals(List.of(), csv(gunzip(download(hidden, extract))));
        String kept = project(List.of(RESEARCHER), List.of("drug-checks"), 5, true);
        JsonNode visible = extract(kept, request("drug-checks", "csv", "month"));
        assertEquals(12, visible.get("rows").asLong());
        List<Map<String, String>> rows = csv(gunzip(download(kept, visible)));
        assertEquals(Set.of("FENTANYL;XYLAZINE", "CAFFEINE;FENTANYL"), Set.copyOf(rows.stream().map(r -> r.get("substancesFound")).toList()));
        assertEquals("FENTANYL_TEST_STRIP;FTIR", rows.get(0).get("methods"));
    }

    @Test
    void noFileHoldsAnIdentifierFreeTextADateOrAClearId() {
        String project = project(List.of(RESEARCHER), List.of("incidents", "visits", "drug-checks", "resiliency"), 5, true);
        List<String> files = new ArrayList<>();
        for (String dataset : List.of("incidents", "visits", "drug-checks", "resiliency")) {
            for (String format : List.of("csv", "jsonl")) {
                files.add(gunzip(download(project, extract(project, request(dataset, format, "month")))));
            }
        }
        String tables = project(List.of(RESEARCHER), List.of("summary"), 5, false);
        Map<String, Object> summary = request("summary", "csv", "week");
        summary.put("rows", "siteKind");
        summary.put("columns", "period");
        files.add(gunzip(download(tables, extract(tables, summary))));
        for (String file : files) {
            assertFalse(DATE.matcher(file).find(), "a date in " + file);
            assertFalse(UUID_TEXT.matcher(file).find(), "an id in " + file);
            assertFalse(file.contains("riverside") || file.contains("lakeshore"), "an organization in the clear");
            assertFalse(file.contains("Research A") || file.contains("Main St") || file.contains("Night shift"), "a name in " + file);
            assertFalse(TIME.matcher(file).find(), "a time in " + file);
            for (String secret : SECRETS) {
                assertFalse(file.contains(secret), secret);
            }
            for (String site : SITES) {
                assertFalse(file.contains(site), site);
            }
            assertFalse(file.contains("Jane") || file.contains("SECRET"), "free text in " + file);
        }
    }

    @Test
    void pseudonymsAreStableInAProjectAndUnrelatedAcrossProjectsAndRotation() throws Exception {
        String first = project(List.of(RESEARCHER), List.of("incidents", "drug-checks"), 5, true);
        String second = project(List.of(RESEARCHER), List.of("incidents", "drug-checks"), 5, true);
        JsonNode a1 = extract(first, request("incidents", "csv", "month"));
        JsonNode a2 = extract(first, request("incidents", "csv", "month"));
        byte[] f1 = download(first, a1);
        byte[] f2 = download(first, a2);
        // The same request twice: the same bytes, and the sha256 announced is the file's.
        assertEquals(a1.get("sha256").asText(), a2.get("sha256").asText());
        assertEquals(a1.get("sha256").asText(), sha256(f1));
        assertEquals(sha256(f1), sha256(f2));
        assertEquals(f1.length, a1.get("bytes").asLong());

        JsonNode b = extract(second, request("incidents", "csv", "month"));
        Set<String> firstIds = pseudonyms(gunzip(f1));
        Set<String> secondIds = pseudonyms(gunzip(download(second, b)));
        assertFalse(firstIds.isEmpty());
        assertTrue(firstIds.stream().anyMatch(p -> p.startsWith("S-")), firstIds.toString());
        Set<String> common = new HashSet<>(firstIds);
        common.retainAll(secondIds);
        assertTrue(common.isEmpty(), "joined across projects on " + common);
        // The drug checks of the same project name the same site the same way.
        Set<String> checkIds = pseudonyms(gunzip(download(first, extract(first, request("drug-checks", "csv", "month")))));
        assertTrue(firstIds.containsAll(checkIds.stream().filter(p -> p.startsWith("S-")).toList()), checkIds.toString());

        given().auth().oauth2(Fixtures.admin()).post("/v1/admin/research-projects/" + first + "/rotate-key").then().statusCode(200);
        Set<String> rotated = pseudonyms(gunzip(download(first, extract(first, request("incidents", "csv", "month")))));
        rotated.retainAll(firstIds);
        assertTrue(rotated.isEmpty(), "survived the rotation: " + rotated);
    }

    private static Set<String> pseudonyms(String csv) {
        Set<String> ids = new HashSet<>();
        for (Map<String, String> row : csv(csv)) {
            for (String column : List.of("organization", "site")) {
                if (row.get(column) != null && !row.get(column).isEmpty()) {
                    ids.add(row.get(column));
                }
            }
        }
        return ids;
    }

    @Test
    void noSuppressedSummaryCellCanBeRecomputedFromThePublishedNumbers() {
        for (String[] dims : new String[][] {{"siteKind", "period"}, {"province", "outcome"}, {"outcome", "siteKind"}}) {
            String project = project(List.of(RESEARCHER), List.of("summary"), 5, false);
            Map<String, Object> body = request("summary", "csv", "month");
            body.put("rows", dims[0]);
            body.put("columns", dims[1]);
            JsonNode extract = extract(project, body);
            List<Map<String, String>> rows = csv(gunzip(download(project, extract)));
            List<String> header = new ArrayList<>(rows.get(0).keySet());
            assertEquals(dims[0], header.get(0));
            assertEquals("total", header.get(header.size() - 1));
            assertEquals("total", rows.get(rows.size() - 1).get(dims[0]));
            Long[][] table = new Long[rows.size()][header.size() - 1];
            int hidden = 0;
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 1; c < header.size(); c++) {
                    String v = rows.get(r).get(header.get(c));
                    table[r][c - 1] = v.isEmpty() ? null : Long.valueOf(v);
                    if (v.isEmpty()) {
                        hidden++;
                    } else {
                        long n = table[r][c - 1];
                        assertTrue(n == 0 || n >= 5, "a small count published: " + n + " in " + rows);
                    }
                }
            }
            assertEquals(extract.get("suppressedCells").asLong(), hidden);
            if (dims[0].equals("siteKind")) {
                // 25 supervised-injection incidents in March, all from site A: a count of one site is that site's.
                Map<String, String> scs = rows.stream().filter(r -> r.get("siteKind").equals("SCS")).findFirst().orElseThrow();
                assertEquals("", scs.get("2016-03"), rows.toString());
            }
            assertTrue(hidden > 0, "the data was built to need suppression: " + rows);
            assertEquals(List.of(), Recovery.determined(table), "recovered from " + rows);
        }
    }

    @Test
    void visitCountsUnderKAreLeftEmptyWithASecondInTheirGroup() {
        String project = project(List.of(RESEARCHER), List.of("visits", "resiliency"), 10, false);
        JsonNode extract = extract(project, request("visits", "csv", "month"));
        List<Map<String, String>> rows = csv(gunzip(download(project, extract)));
        Map<String, String> march = rows.stream().filter(r -> r.get("province").equals("CA-BC") && r.get("visits").equals("300"))
                .findFirst().orElseThrow(() -> new AssertionError(rows.toString()));
        assertFalse(march.containsKey("site"), "the project does not keep site identity");
        assertEquals("2016-03", march.get("period"));
        assertEquals("5", march.get("daysReported"));
        assertEquals("250", march.get("modeInjection"));
        assertEquals("", march.get("modeIntranasal"));
        assertEquals("", march.get("modeInhalation"), "the second cell of its group, or intranasal = visits - the rest");
        assertEquals("", march.get("turnedAwayYouth"));
        assertEquals("", march.get("turnedAwayFull"), "the only other count of its group: it would give youth away");
        assertEquals("", march.get("modeOral"), "not reported: empty too");
        assertEquals("40", march.get("uniqueClientsBusiestDay"));
        assertTrue(extract.get("suppressedCells").asLong() >= 3);
        JsonNode dictionary = dictionary(project, extract, "en");
        String busiest = dictionary.get("columns").findParents("name").stream()
                .filter(c -> c.get("name").asText().equals("uniqueClientsBusiestDay")).findFirst().orElseThrow().toString();
        assertTrue(busiest.contains("Not additive"), busiest);

        JsonNode resiliency = extract(project, request("resiliency", "csv", null));
        List<Map<String, String>> teams = csv(gunzip(download(project, resiliency)));
        assertEquals(1, teams.size(), "only the team-month with 5 respondents or more: " + teams);
        assertTrue(teams.get(0).get("team").startsWith("T-"));
        assertEquals("31.3", teams.get(0).get("compassionSatisfaction"));
        assertEquals("2", teams.get(0).get("trainingSessions"));
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(request("resiliency", "csv", "week"))
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("grain"));
    }

    // ---- who may do what ----

    @Test
    void outsidersGet404CoordinatorsCannotDownloadAndClosedProjects403WithTheReason() throws Exception {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        JsonNode extract = extract(project, request("incidents", "csv", "month"));
        String file = "/v1/research/projects/" + project + "/extracts/" + extract.get("id").asText() + "/file";
        given().auth().oauth2(Tokens.forSubject("outsider", "network", "researcher")).get(file).then().statusCode(404);
        given().auth().oauth2(Tokens.forSubject("outsider", "network", "researcher")).contentType(ContentType.JSON)
                .body(request("incidents", "csv", "month")).post("/v1/research/projects/" + project + "/extracts").then().statusCode(404);
        given().auth().oauth2(Tokens.of("network", "coordinator")).get(file).then().statusCode(403);
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(request("visits", "csv", "month"))
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("dataset"));
        Map<String, Object> outside = request("incidents", "csv", "month");
        outside.put("to", "2017-01");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(outside)
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("to"));

        given().auth().oauth2(Fixtures.admin()).post("/v1/admin/research-projects/" + project + "/suspend").then().statusCode(200)
                .body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(researcher()).get(file).then().statusCode(403).body("type", equalTo("/problems/project-closed"));
        given().auth().oauth2(researcher()).header("Accept-Language", "fr").contentType(ContentType.JSON)
                .body(request("incidents", "csv", "month")).post("/v1/research/projects/" + project + "/extracts").then()
                .statusCode(403).body("detail", org.hamcrest.Matchers.containsString("suspendu"));
        given().auth().oauth2(Fixtures.admin()).post("/v1/admin/research-projects/" + project + "/reactivate").then().statusCode(200);
        given().auth().oauth2(researcher()).get(file).then().statusCode(200);

        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(
                "UPDATE research_project SET expires_on = ? WHERE id = ?")) {
            // Yesterday where the network keeps its calendar: the database's current_date is UTC's, a day ahead of
            // Toronto's in the evening, and the project would not have expired yet.
            q.setObject(1, LocalDate.now(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("harbour.network.time-zone", java.time.ZoneId.class)).minusDays(1));
            q.setObject(2, UUID.fromString(project));
            assertEquals(1, q.executeUpdate());
        }
        given().auth().oauth2(researcher()).get(file).then().statusCode(403)
                .body("detail", org.hamcrest.Matchers.containsString("expired"));
        given().auth().oauth2(researcher()).get("/v1/research/projects").then().statusCode(200)
                .body("items.find { it.id == '" + project + "' }.expired", equalTo(true));
    }

    @Test
    void everyRequestReadinessAndDownloadIsAudited() {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        JsonNode extract = extract(project, request("incidents", "csv", "month"));
        download(project, extract);
        JsonNode audit = read(given().auth().oauth2(Fixtures.admin()).get("/v1/admin/research-projects/" + project + "/audit").then()
                .statusCode(200).extract().asString()).get("items");
        List<String> actions = new ArrayList<>();
        audit.forEach(e -> actions.add(e.get("action").asText()));
        assertEquals(List.of("DOWNLOADED", "EXTRACT_READY", "EXTRACT_REQUESTED", "PROJECT_CREATED"), actions);
        JsonNode ready = audit.get(1);
        assertEquals(RESEARCHER, ready.get("subject").asText());
        assertEquals(extract.get("sha256").asText(), ready.at("/details/sha256").asText());
        assertEquals(42, ready.at("/details/rows").asLong());
        assertEquals(1, ready.at("/details/suppressedRows").asLong());
        assertEquals("group", ready.at("/details/generalizations/siteKind").asText());
        assertEquals("month", audit.get(2).at("/details/grain").asText());
        assertEquals(RESEARCHER, audit.get(0).get("subject").asText());
        given().auth().oauth2(researcher()).get("/v1/admin/research-projects/" + project + "/audit").then().statusCode(403);
    }

    // ---- jobs ----

    @Test
    void aJobWhoseInstanceDiedIsTakenOverAndOneInterruptedTooOftenFailsWithTheReason() throws Exception {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        JsonNode normal = extract(project, request("incidents", "csv", "month"));
        UUID orphan = UUID.randomUUID();
        UUID exhausted = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            for (UUID id : List.of(orphan, exhausted)) {
                try (PreparedStatement q = c.prepareStatement("""
                        INSERT INTO research_extract (id, project_id, requested_by, dataset, format, from_month, to_month, grain,
                                                      status, attempts, claimed_by, heartbeat_at, progress_rows, requested_at)
                        VALUES (?, ?, ?, 'incidents', 'csv', '2016-01-01', '2016-12-01', 'month', 'RUNNING', ?, 'dead-instance',
                                now() - interval '1 hour', 17, now())""")) {
                    q.setObject(1, id);
                    q.setObject(2, UUID.fromString(project));
                    q.setString(3, RESEARCHER);
                    q.setInt(4, id.equals(orphan) ? 1 : 3);
                    q.executeUpdate();
                }
            }
            // What the dead instance had written of the orphan's file.
            try (PreparedStatement q = c.prepareStatement("INSERT INTO research_extract_chunk VALUES (?, 0, '\\x1f8b0000'::bytea)")) {
                q.setObject(1, orphan);
                q.executeUpdate();
            }
        }
        String base = "/v1/research/projects/" + project + "/extracts/";
        JsonNode resumed = await(base + orphan, "READY");
        assertEquals(normal.get("sha256").asText(), resumed.get("sha256").asText());
        assertEquals(normal.get("sha256").asText(), sha256(download(project, resumed)));
        JsonNode failed = await(base + exhausted, "FAILED");
        assertTrue(failed.get("reason").asText().contains("interrupted"), failed.toString());
        given().auth().oauth2(researcher()).header("Accept-Language", "fr").get(base + exhausted).then()
                .body("reason", org.hamcrest.Matchers.containsString("interrompue"));
        given().auth().oauth2(researcher()).get(base + exhausted + "/file").then().statusCode(409)
                .body("type", equalTo("/problems/extract-not-ready"));
    }

    @Test
    void aResearcherCannotQueueWithoutBound() throws Exception {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        try (Connection c = db.getConnection()) {
            for (int i = 0; i < 3; i++) {
                // Running elsewhere, with a heartbeat in the future: never taken over during this test.
                try (PreparedStatement q = c.prepareStatement("""
                        INSERT INTO research_extract (id, project_id, requested_by, dataset, format, from_month, to_month, grain,
                                                      status, attempts, claimed_by, heartbeat_at, requested_at)
                        VALUES (?, ?, ?, 'incidents', 'csv', '2016-01-01', '2016-12-01', 'month', 'RUNNING', 1, 'busy',
                                now() + interval '1 day', now())""")) {
                    q.setObject(1, UUID.randomUUID());
                    q.setObject(2, UUID.fromString(project));
                    q.setString(3, RESEARCHER);
                    q.executeUpdate();
                }
            }
        }
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(request("incidents", "csv", "month"))
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(429).header("Retry-After", "5")
                .body("type", equalTo("/problems/too-many-extracts"));
        // Finished ones count toward a day's bound: files are kept.
        String busy = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        try (Connection c = db.getConnection()) {
            for (int i = 0; i < 20; i++) {
                try (PreparedStatement q = c.prepareStatement("""
                        INSERT INTO research_extract (id, project_id, requested_by, dataset, format, from_month, to_month, grain,
                                                      status, reason, attempts, requested_at)
                        VALUES (?, ?, ?, 'incidents', 'csv', '2016-01-01', '2016-12-01', 'month', 'FAILED', 'internal', 1,
                                now() - interval '1 hour')""")) {
                    q.setObject(1, UUID.randomUUID());
                    q.setObject(2, UUID.fromString(busy));
                    q.setString(3, RESEARCHER);
                    q.executeUpdate();
                }
            }
        }
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(request("incidents", "csv", "month"))
                .post("/v1/research/projects/" + busy + "/extracts").then().statusCode(429).header("Retry-After", "5")
                .body("detail", org.hamcrest.Matchers.containsString("24 hours"));
        given().auth().oauth2(Tokens.forSubject("network-user-researcher", "network", "researcher")).get(
                "/v1/research/projects/" + project + "/extracts/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void summaryNeedsTwoDifferentDimensionsAndOthersNone() {
        String project = project(List.of(RESEARCHER), List.of("summary"), 10, false);
        Map<String, Object> body = request("summary", "csv", "month");
        body.put("rows", "period");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(body)
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("columns"));
        body.put("columns", "period");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(body)
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("columns"));
        String rowLevel = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        Map<String, Object> incidents = request("incidents", "csv", "month");
        incidents.put("rows", "province");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(incidents)
                .post("/v1/research/projects/" + rowLevel + "/extracts").then().statusCode(422).body("errors.field", hasItem("rows"));
        Map<String, Object> unknown = request("incidents", "xlsx", "month");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(unknown)
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(400).body("errors.field", hasItem("format"));
        given().auth().oauth2(researcher()).get("/v1/research/projects/" + project + "/extracts/not-a-uuid").then().statusCode(404);
    }

    /** Files a researcher could subtract from each other: other windows, grains, layouts; each is refused or a slice. */
    @Test
    void filesOfOneProjectCannotBeSubtractedToFindWhatOneSuppressed() {
        String project = project(List.of(RESEARCHER), List.of("incidents"), 10, false);
        JsonNode year = extract(project, request("incidents", "csv", "month"));
        Map<String, Object> first = request("incidents", "csv", "month");
        first.put("to", "2016-03");
        JsonNode q1 = extract(project, first);
        Map<String, Object> second = request("incidents", "csv", "month");
        second.put("from", "2016-04");
        second.put("to", "2016-06");
        JsonNode q2 = extract(project, second);
        // Rare combinations are decided over the project's window: each quarter is a slice of the year's file.
        assertEquals(year.get("rows").asLong(), q1.get("rows").asLong() + q2.get("rows").asLong());
        assertEquals(year.get("suppressedRows").asLong(), q1.get("suppressedRows").asLong() + q2.get("suppressedRows").asLong());
        List<String> whole = new ArrayList<>(List.of(gunzip(download(project, year)).split("\r\n")));
        List<String> parts = new ArrayList<>(List.of(gunzip(download(project, q1)).split("\r\n")));
        parts.addAll(List.of(gunzip(download(project, q2)).split("\r\n")).subList(1, (int) q2.get("rows").asLong() + 1));
        java.util.Collections.sort(whole);
        java.util.Collections.sort(parts);
        assertEquals(whole, parts);

        Map<String, Object> week = request("incidents", "csv", "week");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(week)
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("grain"))
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("month")));
        Map<String, Object> cut = request("incidents", "csv", "month");
        cut.put("from", "2016-02");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(cut)
                .post("/v1/research/projects/" + project + "/extracts").then().statusCode(422).body("errors.field", hasItem("from"));

        String tables = project(List.of(RESEARCHER), List.of("summary"), 5, false);
        Map<String, Object> table = request("summary", "csv", "quarter");
        table.put("rows", "province");
        table.put("columns", "outcome");
        extract(tables, table);
        Map<String, Object> transposed = new HashMap<>(table);
        transposed.put("rows", "outcome");
        transposed.put("columns", "province");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(transposed)
                .post("/v1/research/projects/" + tables + "/extracts").then().statusCode(422).body("errors.field", hasItem("rows"));
        Map<String, Object> part = new HashMap<>(table);
        part.put("to", "2016-06");
        given().auth().oauth2(researcher()).contentType(ContentType.JSON).body(part)
                .post("/v1/research/projects/" + tables + "/extracts").then().statusCode(422).body("errors.field", hasItem("to"));

        Map<String, Object> both = new HashMap<>(Map.of("title", "t", "purpose", "p", "researchers", List.of(RESEARCHER),
                "datasets", List.of("incidents", "summary"), "from", "2016-01", "to", "2016-12", "expiresOn", "2030-01-01"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(both).post("/v1/admin/research-projects")
                .then().statusCode(422).body("errors.field", hasItem("datasets"));
        both.put("datasets", List.of("incidents"));
        both.put("to", "2016-11");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(both).post("/v1/admin/research-projects")
                .then().statusCode(422).body("errors.field", hasItem("to"));
    }

    /** A week cut by a quarter's edge would date its rows to a few days: it appears only in a file holding all of it. */
    @Test
    void byWeekOnlyWeeksWholeInsideTheWindowAreWritten() {
        Map<String, Object> body = new HashMap<>(Map.of("title", "Weeks", "purpose", "p", "researchers", List.of(RESEARCHER),
                "datasets", List.of("incidents"), "from", "2017-01", "to", "2017-06", "k", 5, "expiresOn", "2030-01-01"));
        String project = given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/research-projects").then().statusCode(201).extract().path("id");
        Map<String, Object> first = new HashMap<>(Map.of("dataset", "incidents", "format", "csv", "from", "2017-01", "to", "2017-03",
                "grain", "week"));
        JsonNode q1 = extract(project, first);
        Map<String, Object> second = new HashMap<>(first);
        second.put("from", "2017-04");
        second.put("to", "2017-06");
        JsonNode q2 = extract(project, second);
        Map<String, Object> both = new HashMap<>(first);
        both.put("to", "2017-06");
        JsonNode half = extract(project, both);
        assertEquals(0, q1.get("rows").asLong(), "the three of 30 March, dated by their week's label");
        assertEquals(0, q2.get("rows").asLong());
        List<Map<String, String>> rows = csv(gunzip(download(project, half)));
        assertEquals(6, rows.size(), rows.toString());
        assertEquals(Set.of("2017-W13"), Set.copyOf(rows.stream().map(r -> r.get("period")).toList()));
        assertEquals("week", half.at("/generalizations/period").asText());
    }

    @Test
    void cellSuppressionLeavesNoBridgeOnTablesBuiltToBreakIt() {
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int columns = 1 + random.nextInt(6);
            long[][] cells = new long[rows][columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    cells[r][c] = random.nextInt(4) == 0 ? 0 : random.nextInt(25);
                }
            }
            long[][] table = CellSuppression.withTotals(cells, columns);
            boolean[][] hidden = CellSuppression.suppress(table, 10);
            Long[][] published = new Long[table.length][table[0].length];
            for (int r = 0; r < table.length; r++) {
                for (int c = 0; c < table[0].length; c++) {
                    published[r][c] = hidden[r][c] ? null : table[r][c];
                    assertTrue(hidden[r][c] || table[r][c] == 0 || table[r][c] >= 10);
                }
            }
            assertEquals(List.of(), Recovery.determined(published), "trial " + trial);
        }
    }
}
