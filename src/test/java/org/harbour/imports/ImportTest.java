package org.harbour.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
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
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class ImportTest extends ApiTest {

    private static final String IMPORTS = "/v1/orgs/riverside/imports";
    String run;

    @BeforeEach
    void organizations() {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/x-ndjson", ContentType.TEXT));
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    private static String admin() {
        return Tokens.of("riverside", "org-admin");
    }

    private ValidatableResponse post(String token, String body, String query) {
        return given().auth().oauth2(token).contentType("application/x-ndjson").body(body)
                .post(IMPORTS + (query == null ? "" : "?" + query)).then().statusCode(200);
    }

    private String mixed() {
        return String.join("\n",
                "{\"type\":\"site\",\"externalRef\":\"S-" + run + "\",\"name\":\"Imported site\",\"kind\":\"OPS\",\"model\":\"STANDALONE\","
                        + "\"city\":\"Ottawa\",\"province\":\"CA-ON\",\"timeZone\":\"America/Toronto\",\"openedOn\":\"2020-01-01\"}",
                "{\"type\":\"offering\",\"siteExternalRef\":\"S-" + run + "\",\"serviceCode\":\"SUPERVISED_INHALATION\","
                        + "\"schedule\":[{\"days\":[\"MONDAY\"],\"opens\":\"09:00\",\"closes\":\"17:00\",\"audience\":\"WOMEN\"}]}",
                "{\"type\":\"visit\",\"siteExternalRef\":\"S-" + run + "\",\"date\":\"2025-05-01\",\"visits\":40,\"uniqueClients\":22}",
                "",
                "{\"type\":\"incident\",\"siteExternalRef\":\"S-" + run + "\",\"externalRef\":\"I-" + run + "\","
                        + "\"occurredAt\":\"2025-05-01T22:00:00Z\",\"location\":\"INSIDE\",\"kind\":\"OVERDOSE\",\"substances\":[\"FENTANYL\"],"
                        + "\"mode\":\"INJECTION\",\"response\":{\"naloxoneDoses\":1},\"outcome\":\"RESOLVED_ON_SITE\"}",
                "{\"type\":\"incident\",\"externalRef\":\"BAD-" + run + "\",\"occurredAt\":\"2025-05-01T22:00:00Z\",\"location\":\"INSIDE\","
                        + "\"kind\":\"OVERDOSE\",\"siteExternalRef\":\"S-" + run + "\"}",
                "{not json",
                "{\"type\":\"spaceship\"}",
                "{\"type\":\"visit\",\"siteExternalRef\":\"S-" + run + "\",\"date\":\"2025-05-02\",\"visits\":-3}",
                "{\"type\":\"incident\",\"occurredAt\":\"2025-05-01T22:00:00Z\",\"location\":\"OUTREACH\",\"kind\":\"OTHER\"}");
    }

    @Test
    void everyLineIsReportedAndTheGoodOnesAreWritten() {
        Response report = given().auth().oauth2(admin()).contentType("application/x-ndjson").body(mixed()).post(IMPORTS);
        report.then().statusCode(200)
                .body("committed", equalTo(true))
                .body("importId", notNullValue())
                .body("counts.created", equalTo(4))
                .body("counts.rejected", equalTo(5))
                .body("lines", hasSize(9))
                .body("lines[0].status", equalTo("CREATED"))
                .body("lines[0].type", equalTo("site"))
                .body("lines[1].status", equalTo("CREATED"))
                .body("lines[2].status", equalTo("CREATED"))
                .body("lines[3].line", equalTo(5))
                .body("lines[3].status", equalTo("CREATED"))
                .body("lines[4].status", equalTo("REJECTED"))
                .body("lines[4].errors.field", equalTo(List.of("mode", "substances")))
                .body("lines[5].line", equalTo(7))
                .body("lines[5].errors[0].message", equalTo("this line is not valid JSON"))
                .body("lines[6].errors[0].field", equalTo("type"))
                .body("lines[7].errors[0].field", equalTo("visits"))
                .body("lines[8].errors[0].field", equalTo("externalRef"));
        String siteId = report.path("lines[0].id");
        given().auth().oauth2(admin()).get("/v1/orgs/riverside/sites/" + siteId).then().statusCode(200)
                .body("name", equalTo("Imported site"));
        given().auth().oauth2(admin()).get("/v1/orgs/riverside/sites/" + siteId + "/visits/2025-05-01").then().statusCode(200)
                .body("visits", equalTo(40));
        given().auth().oauth2(admin()).queryParam("siteId", siteId).get("/v1/orgs/riverside/incidents").then()
                .body("items", hasSize(1));
        given().auth().oauth2(admin()).queryParam("entityId", siteId).get("/v1/orgs/riverside/audit").then()
                .body("items[0].importId", equalTo(report.path("importId")));

        // The same file again changes nothing; one changed figure updates one record.
        post(admin(), mixed(), null).body("counts.unchanged", equalTo(4)).body("counts.created", equalTo(0))
                .body("counts.rejected", equalTo(5));
        post(admin(), mixed().replace("\"visits\":40", "\"visits\":41"), null).body("counts.updated", equalTo(1))
                .body("counts.unchanged", equalTo(3));
    }

    @Test
    void visitDaysOfOneChunkAreWrittenInOrderWhetherCloseOrFarApart() {
        String close = Fixtures.site("riverside", "Days close together");
        String far = Fixtures.site("riverside", "Days far apart");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("visits", 5))
                .put("/v1/orgs/riverside/sites/" + far + "/visits/2025-01-01").then().statusCode(201);
        String future = java.time.LocalDate.now().plusDays(3).toString();
        String body = String.join("\n",
                visit(close, "2025-06-01", 10), visit(close, "2025-06-02", 11), visit(close, "2025-06-01", 12),
                visit(close, future, 1), visit(far, "2025-01-01", 5), visit(far, "2025-12-31", 7), visit(far, "2025-01-01", 6),
                visit(UUID.randomUUID().toString(), "2025-06-01", 1));
        post(admin(), body, null)
                .body("lines.status", equalTo(List.of("CREATED", "CREATED", "UPDATED", "REJECTED", "UNCHANGED", "CREATED", "UPDATED",
                        "REJECTED")))
                .body("lines[3].errors[0].field", equalTo("date"))
                .body("lines[2].id", equalTo(close + "/2025-06-01"));
        given().auth().oauth2(admin()).get("/v1/orgs/riverside/sites/" + close + "/visits/2025-06-01").then().statusCode(200)
                .body("visits", equalTo(12));
        given().auth().oauth2(admin()).get("/v1/orgs/riverside/sites/" + far + "/visits/2025-01-01").then().statusCode(200)
                .body("visits", equalTo(6));
        given().auth().oauth2(admin()).get("/v1/orgs/riverside/sites/" + close + "/visits/" + future).then().statusCode(404);
        given().auth().oauth2(admin()).queryParam("entityId", close + "/2025-06-01").get("/v1/orgs/riverside/audit").then()
                .body("items.action", equalTo(List.of("UPDATE", "CREATE")));
    }

    private static String visit(String site, String date, int visits) {
        return "{\"type\":\"visit\",\"siteId\":\"" + site + "\",\"date\":\"" + date + "\",\"visits\":" + visits + "}";
    }

    @Test
    void drugCheckSamplesImportToo() {
        String site = Fixtures.site("riverside", "Imported checks");
        String line = "{\"type\":\"drug-check\",\"siteId\":\"" + site + "\",\"externalRef\":\"DCI-" + run + "\","
                + "\"takenAt\":\"2025-02-03T12:00:00Z\",\"expected\":\"COCAINE\",\"sampleKind\":\"DRUG\",\"methods\":[\"FTIR\"],"
                + "\"results\":[{\"substance\":\"COCAINE\",\"method\":\"FTIR\",\"abundance\":\"PRIMARY\"}]}";
        post(Tokens.of("riverside", "reporter"), line, null).body("counts.created", equalTo(1)).body("lines[0].type", equalTo("drug-check"));
        post(Tokens.of("riverside", "reporter"), line, null).body("counts.unchanged", equalTo(1));
        post(Tokens.of("riverside", "reporter"), line.replace("\"FTIR\"]", "\"FTIR\",\"MASS_SPECTROMETRY\"]").replace("DCI-", "DCJ-")
                .replace("\"method\":\"FTIR\"", "\"method\":\"FENTANYL_TEST_STRIP\""), null)
                .body("counts.rejected", equalTo(1)).body("lines[0].errors[0].field", equalTo("results[0].method"));
    }

    @Test
    void aDryRunWritesNothing() {
        post(admin(), mixed(), "dryRun=true").body("committed", equalTo(false)).body("dryRun", equalTo(true))
                .body("counts.created", equalTo(4)).body("counts.rejected", equalTo(5));
        given().auth().oauth2(admin()).queryParam("limit", 200).get("/v1/orgs/riverside/sites").then()
                .body("items.externalRef", org.hamcrest.Matchers.not(hasItem("S-" + run)));
    }

    @Test
    void anAtomicImportWritesAllOrNothing() {
        post(admin(), mixed(), "atomic=true").body("committed", equalTo(false)).body("counts.rejected", equalTo(5));
        given().auth().oauth2(admin()).queryParam("limit", 200).get("/v1/orgs/riverside/sites").then()
                .body("items.externalRef", org.hamcrest.Matchers.not(hasItem("S-" + run)));
        String good = String.join("\n", mixed().lines().limit(5).toList());
        post(admin(), good, "atomic=true").body("committed", equalTo(true)).body("counts.created", equalTo(4));
        given().auth().oauth2(admin()).queryParam("limit", 200).get("/v1/orgs/riverside/sites").then()
                .body("items.externalRef", hasItem("S-" + run));
    }

    @Test
    void aJsonArrayWorksToo() {
        List<Map<String, Object>> records = new ArrayList<>();
        String site = Fixtures.site("riverside", "Array target");
        records.add(Map.of("type", "visit", "siteId", site, "date", "2025-03-01", "visits", 12));
        records.add(Map.of("type", "visit", "siteId", site, "date", "2025-03-02", "visits", 14));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON).body(records).post(IMPORTS)
                .then().statusCode(200).body("counts.created", equalTo(2)).body("lines[1].line", equalTo(2));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"type\":\"visit\"}").post(IMPORTS)
                .then().statusCode(200).body("counts.rejected", equalTo(1))
                .body("lines[0].errors[0].message", equalTo("a JSON body must be an array of records"));
    }

    @Test
    void rolesAndTenantsHoldLineByLine() {
        String lakeshoreSite = Fixtures.site("lakeshore", "Not yours");
        String lines = String.join("\n",
                "{\"type\":\"site\",\"externalRef\":\"R-" + run + "\",\"name\":\"x\",\"kind\":\"OPS\",\"model\":\"STANDALONE\","
                        + "\"city\":\"x\",\"province\":\"CA-ON\",\"timeZone\":\"America/Toronto\"}",
                "{\"type\":\"visit\",\"siteId\":\"" + lakeshoreSite + "\",\"date\":\"2025-05-01\",\"visits\":1}",
                "{\"type\":\"visit\",\"siteId\":\"" + Fixtures.site("riverside", "Reporter's") + "\",\"date\":\"2025-05-01\",\"visits\":1}");
        post(Tokens.of("riverside", "reporter"), lines, null)
                .body("lines[0].status", equalTo("REJECTED")).body("lines[0].errors[0].field", equalTo("type"))
                .body("lines[1].status", equalTo("REJECTED")).body("lines[1].errors[0].field", equalTo("siteId"))
                .body("lines[2].status", equalTo("CREATED"));
        given().auth().oauth2(Tokens.of("riverside", "viewer")).contentType("application/x-ndjson").body(lines).post(IMPORTS)
                .then().statusCode(403);
        given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/sites/" + lakeshoreSite + "/visits")
                .then().body("items", hasSize(0));
    }

    @Test
    void manyLinesGoThroughInChunksAndTheLimitIsReported() {
        String site = Fixtures.site("riverside", "Chunked");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            body.append("{\"type\":\"incident\",\"siteId\":\"").append(site).append("\",\"externalRef\":\"C-").append(run).append('-')
                    .append(i).append("\",\"occurredAt\":\"2025-04-01T10:00:00Z\",\"location\":\"INSIDE\",\"kind\":\"NEEDLESTICK\"}\n");
        }
        Response report = given().auth().oauth2(admin()).contentType("application/x-ndjson").body(body.toString()).post(IMPORTS);
        report.then().statusCode(200).body("counts.created", equalTo(1000)).body("counts.rejected", equalTo(1))
                .body("lines[1000].line", equalTo(1001))
                .body("lines[1000].errors[0].message", equalTo("over the limit of 1,000 records: this record and the rest were not read"));
        List<String> ids = report.path("lines.id");
        assertEquals(1000, ids.stream().filter(java.util.Objects::nonNull).distinct().count());
        given().auth().oauth2(admin()).header("Accept-Language", "fr").contentType("application/x-ndjson").body("{oops")
                .post(IMPORTS).then().statusCode(200).body("lines[0].errors[0].message", equalTo("cette ligne n'est pas un JSON valide"))
                .body("lines[0].id", nullValue());
    }

    /**
     * Issue 9, point 2: a chunk that a database error breaks is replayed line by line. The replay used to read
     * lines the first pass had taken fields off, so every line came back rejected for its "type".
     */
    @Test
    void aDatabaseErrorInAChunkLosesNoGoodLineAndGivesTheRealReason() throws java.sql.SQLException {
        String site = Fixtures.site("riverside", "Replayed");
        String nul = "{\"type\":\"incident\",\"siteId\":\"" + site + "\",\"externalRef\":\"N-" + run
                + "\",\"occurredAt\":\"2025-04-01T10:00:00Z\",\"location\":\"INSIDE\",\"kind\":\"NEEDLESTICK\",\"note\":\"a\\u0000b\"}";
        post(admin(), incident(site, "V-" + run, "fine") + "\n" + nul, null)
                .body("counts.created", equalTo(1)).body("counts.rejected", equalTo(1))
                .body("lines[1].errors[0].field", equalTo("note"));

        org.harbour.testsupport.Database.asOwner("create or replace function test_refuse_note() returns trigger language plpgsql as $$ begin "
                + "if new.note = 'refuse-me' then raise exception 'refused for the test'; end if; return new; end $$");
        org.harbour.testsupport.Database.asOwner("create trigger test_refuse_note before insert on incident for each row execute function test_refuse_note()");
        try {
            String body = String.join("\n", incident(site, "R1-" + run, "fine"), incident(site, "R2-" + run, "refuse-me"),
                    "{\"type\":\"visit\",\"siteId\":\"" + site + "\",\"date\":\"2025-04-01\",\"visits\":7}",
                    incident(site, "R3-" + run, "fine"));
            post(admin(), body, null).body("counts.created", equalTo(3)).body("counts.rejected", equalTo(1))
                    .body("lines.status", equalTo(List.of("CREATED", "REJECTED", "CREATED", "CREATED")))
                    .body("lines[1].type", equalTo("incident"))
                    .body("lines[1].errors[0].message", equalTo("the database could not store this line; nothing of it was written"));
            given().auth().oauth2(admin()).queryParam("siteId", site).get("/v1/orgs/riverside/incidents").then()
                    .body("items.externalRef", org.hamcrest.Matchers.containsInAnyOrder("V-" + run, "R1-" + run, "R3-" + run));
            given().auth().oauth2(admin()).get("/v1/orgs/riverside/sites/" + site + "/visits/2025-04-01").then().statusCode(200)
                    .body("visits", equalTo(7));
        } finally {
            org.harbour.testsupport.Database.asOwner("drop trigger test_refuse_note on incident");
        }
    }

    private static String incident(String site, String ref, String note) {
        return "{\"type\":\"incident\",\"siteId\":\"" + site + "\",\"externalRef\":\"" + ref
                + "\",\"occurredAt\":\"2025-04-01T10:00:00Z\",\"location\":\"INSIDE\",\"kind\":\"NEEDLESTICK\",\"note\":\"" + note + "\"}";
    }

}
