package org.harbour.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Issue 9, point 10: Idempotency-Key on POST. */
@QuarkusTest
class IdempotencyKeyTest extends ApiTest {

    private static final String NOTES = "/v1/orgs/riverside/notes";

    @ConfigProperty(name = "harbour.db.url")
    String dbUrl;

    private static Map<String, Object> note(String title) {
        return Map.of("title", title, "body", "Debrief within the hour.", "language", "en", "theme", "STAFF_RESILIENCY",
                "kind", "TIP", "visibility", "ORGANIZATION");
    }

    private static Response post(String token, String key, Object body) {
        return given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body).post(NOTES);
    }

    private static int notesTitled(String title) {
        List<String> titles = given().auth().oauth2(Tokens.of("riverside", "viewer")).queryParam("limit", 200).get(NOTES)
                .then().statusCode(200).extract().path("items.title");
        return (int) titles.stream().filter(title::equals).count();
    }

    @Test
    void theSameKeyAndRequestGetTheFirstAnswerAndAnotherRequestIs422() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        String key = "key-" + UUID.randomUUID();
        String title = "Idempotent " + key;
        String token = Tokens.of("riverside", "reporter");
        Response first = post(token, key, note(title));
        first.then().statusCode(201);
        Response again = post(token, key, note(title));
        again.then().statusCode(201).header("Location", equalTo(first.header("Location"))).header("ETag", equalTo(first.header("ETag")))
                .header("Idempotency-Replayed", equalTo("true"));
        assertEquals(first.asString(), again.asString());
        assertEquals(1, notesTitled(title));

        post(token, key, note(title + " changed")).then().statusCode(422).body("type", equalTo("/problems/idempotency-key-reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        given().auth().oauth2(token).header("Accept-Language", "fr").header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(note(title + " changed")).post(NOTES).then().statusCode(422).body("title", equalTo("Clé d'idempotence réutilisée"));
        // Another caller's key is its own.
        post(Tokens.forSubject("someone-else", "riverside", "reporter"), key, note(title)).then().statusCode(201)
                .header("Idempotency-Replayed", org.hamcrest.Matchers.nullValue());
        assertEquals(2, notesTitled(title));
        for (String bad : new String[] { "", "x".repeat(256), "has space", "é" }) {
            given().auth().oauth2(token).header("Idempotency-Key", bad).contentType(ContentType.JSON).body(note(title + bad)).post(NOTES)
                    .then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
        }
    }

    @Test
    void racingDuplicatesCreateOneRecord() throws Exception {
        Fixtures.organization(Fixtures.RIVERSIDE);
        String key = "race-" + UUID.randomUUID();
        String title = "Raced " + key;
        String token = Tokens.of("riverside", "reporter");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> post(token, key, note(title))));
            }
            String location = null;
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                assertTrue(r.statusCode() == 201 || r.statusCode() == 409, "status " + r.statusCode());
                if (r.statusCode() == 201) {
                    assertTrue(location == null || location.equals(r.header("Location")), "every 201 names the same note");
                    location = r.header("Location");
                }
            }
            assertEquals(1, notesTitled(title));
            post(token, key, note(title)).then().statusCode(201).header("Location", equalTo(location));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyExpiresAfterItsDayAndNetworkPathsTakeKeysToo() throws SQLException {
        Fixtures.organization(Fixtures.RIVERSIDE);
        String key = "old-" + UUID.randomUUID();
        String token = Tokens.of("riverside", "reporter");
        post(token, key, note("Before " + key)).then().statusCode(201);
        try (Connection c = DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app"); Statement s = c.createStatement()) {
            s.execute("SELECT set_config('harbour.org', 'riverside', false)");
            assertEquals(1, s.executeUpdate("UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = '" + key + "'"));
            s.execute("SELECT set_config('harbour.org', 'lakeshore', false)");
            assertEquals(0, s.executeUpdate("UPDATE idempotency_key SET expires_at = now() WHERE key = '" + key + "'"),
                    "another organization's keys are out of sight");
        }
        post(token, key, note("After " + key)).then().statusCode(201).header("Idempotency-Replayed", org.hamcrest.Matchers.nullValue());
        assertEquals(1, notesTitled("After " + key));

        String slug = "idem-" + System.nanoTime() % 1_000_000;
        Map<String, Object> org = Fixtures.organizationBody(slug, "rogue");
        org.put("issuer", Tokens.issuer("rogue") + "-" + slug);
        String adminKey = "admin-" + UUID.randomUUID();
        given().auth().oauth2(Fixtures.admin()).header("Idempotency-Key", adminKey).contentType(ContentType.JSON).body(org)
                .post("/v1/admin/organizations").then().statusCode(201);
        given().auth().oauth2(Fixtures.admin()).header("Idempotency-Key", adminKey).contentType(ContentType.JSON).body(org)
                .post("/v1/admin/organizations").then().statusCode(201).header("Idempotency-Replayed", equalTo("true"));
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(org)
                .post("/v1/admin/organizations").then().statusCode(409);
    }

    /** Review: a request of a few KB cannot earn an answer of megabytes, kept for a day: field errors stop at 100. */
    @Test
    void fieldErrorsAreCappedSoThatAnswersStaySmall() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Map<String, Object> body = new java.util.HashMap<>(note("Many bad tags"));
        body.put("tags", java.util.Collections.nCopies(5000, ""));
        post(Tokens.of("riverside", "reporter"), "cap-" + UUID.randomUUID(), body).then().statusCode(400)
                .body("errors.size()", equalTo(100));
    }
}
