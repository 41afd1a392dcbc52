package org.harbour.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** Issue 9, point 4: no client holds what all share (connections, locks) and each organization gets its share. */
@QuarkusTest
class SharedResourcesTest extends ApiTest {

    @ConfigProperty(name = "harbour.db.url")
    String dbUrl;

    @Inject
    AgroalDataSource pool;

    /** An import whose body arrives in two parts, the second when {@link #finish} is called. */
    final class SlowImport {
        final PipedOutputStream out = new PipedOutputStream();
        final CompletableFuture<HttpResponse<String>> answer;

        SlowImport(String org, String query, String firstPart) throws IOException {
            PipedInputStream in = new PipedInputStream(out, 1 << 20);
            HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/orgs/" + org
                    + "/imports" + query)).header("Authorization", "Bearer " + Tokens.of(org, "reporter"))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofInputStream(() -> in)).build();
            answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(request,
                    HttpResponse.BodyHandlers.ofString());
            out.write(firstPart.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        HttpResponse<String> finish(String rest) throws Exception {
            out.write(rest.getBytes(StandardCharsets.UTF_8));
            out.close();
            return answer.get(60, TimeUnit.SECONDS);
        }
    }

    private static String visits(String site, int from, int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            lines.append("{\"type\":\"visit\",\"siteId\":\"").append(site).append("\",\"date\":\"")
                    .append(java.time.LocalDate.of(2020, 1, 1).plusDays(i)).append("\",\"visits\":").append(i % 50 + 1).append("}\n");
        }
        return lines.toString();
    }

    /**
     * Transactions of the application open for more than a second (background work never keeps one that long),
     * seen as the application's role, which sees its own sessions whole.
     */
    private int longTransactions() throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "harbour_app", "harbour_app"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = 'harbour_app' "
                        + "AND pid <> pg_backend_pid() AND xact_start < now() - interval '1 second'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aSlowAtomicImportHoldsNoConnectionWhileItsBodyArrives() throws Exception {
        Fixtures.organization(Fixtures.RIVERSIDE);
        String site = Fixtures.site("riverside", "Slow atomic " + UUID.randomUUID());
        SlowImport slow = new SlowImport("riverside", "?atomic=true", visits(site, 0, 600));
        Thread.sleep(3000);
        assertEquals(0, longTransactions(), "a transaction is held open while the client has not finished sending");
        HttpResponse<String> done = slow.finish(visits(site, 600, 10));
        assertEquals(200, done.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(done.body().contains("\"committed\":true") && done.body().contains("\"created\":610"),
                done.body().substring(0, Math.min(300, done.body().length())));
    }

    @Test
    void anOrganizationHasTwoImportsAtOnceAndOthersAreNotHeldUp() throws Exception {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        String site = Fixtures.site("riverside", "Fair share " + UUID.randomUUID());
        // More than the 10 KB the server buffers before it calls the endpoint, so that both are under way.
        SlowImport first = new SlowImport("riverside", "", visits(site, 1000, 300));
        SlowImport second = new SlowImport("riverside", "?dryRun=true", visits(site, 1000, 300));
        Thread.sleep(1000);
        RestAssured.config = RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                .encodeContentTypeAs("application/x-ndjson", ContentType.TEXT));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).header("Accept-Language", "fr").contentType("application/x-ndjson")
                .body(visits(site, 2000, 1)).post("/v1/orgs/riverside/imports").then().statusCode(429)
                .header("Retry-After", equalTo("5")).body("type", equalTo("/problems/busy"))
                .body("detail", equalTo("Votre organisation a déjà 2 importations en cours; réessayez quand l'une d'elles sera terminée."));
        String lakeSite = Fixtures.site("lakeshore", "Not held up " + UUID.randomUUID());
        given().auth().oauth2(Tokens.of("lakeshore", "reporter")).contentType("application/x-ndjson").body(visits(lakeSite, 0, 3))
                .post("/v1/orgs/lakeshore/imports").then().statusCode(200).body("counts.created", equalTo(3));
        assertEquals(200, first.finish(visits(site, 1300, 1)).statusCode());
        assertEquals(200, second.finish("").statusCode());
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType("application/x-ndjson").body(visits(site, 2000, 1))
                .post("/v1/orgs/riverside/imports").then().statusCode(200);
    }

    /**
     * Requests sent while the owner holds a table locked: they wait on the lock, under way, until {@link #release}.
     */
    final class HeldOnLock implements AutoCloseable {
        final Connection owner;
        final java.util.List<CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();

        HeldOnLock(String table, String pathAndQuery, String token, int count, String what) throws Exception {
            owner = DriverManager.getConnection(dbUrl, "harbour_owner", "harbour_owner");
            try {
                owner.setAutoCommit(false);
                try (Statement lock = owner.createStatement()) {
                    lock.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
                }
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + pathAndQuery))
                        .header("Authorization", "Bearer " + token).build();
                for (int i = 0; i < count; i++) {
                    answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
                }
                long until = System.currentTimeMillis() + 3000;
                while (waitingOnLock(table) < count && System.currentTimeMillis() < until) {
                    Thread.sleep(50);
                }
                // At least: background work (the rollup folder, every second) may wait on the same table. That no more
                // than count requests get through is what the 429 asked for next shows.
                int waiting = waitingOnLock(table);
                assertTrue(waiting >= count, what + ": " + waiting + " waiting");
            } catch (Exception | AssertionError failed) {
                owner.close(); // or the lock outlives the test and holds up every later one
                throw failed;
            }
        }

        /** Lets the held requests through; each is then answered 200. */
        void release() throws Exception {
            owner.rollback();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertEquals(200, answer.get(30, TimeUnit.SECONDS).statusCode());
            }
        }

        @Override
        public void close() throws SQLException {
            owner.close();
        }
    }

    /** Found by make soak: a fifth search at once was a 500 (its message had no text), not a 429. */
    @Test
    void anOrganizationHasFourSearchesAtOnce() throws Exception {
        Fixtures.organization(Fixtures.RIVERSIDE);
        String token = Tokens.of("riverside", "reporter");
        // The notes locked by the owner: the four searches wait on the lock, holding their share.
        try (HeldOnLock searches = new HeldOnLock("note", "/v1/network/notes?q=naloxone", token, 4, "the four searches are under way")) {
            given().auth().oauth2(token).queryParam("q", "naloxone").get("/v1/network/notes").then().statusCode(429)
                    .header("Retry-After", equalTo("5")).body("type", equalTo("/problems/busy"))
                    .body("detail", equalTo("Your organization already has 4 searches under way; retry in a moment."));
            given().auth().oauth2(token).header("Accept-Language", "fr").queryParam("q", "naloxone").get("/v1/network/notes").then()
                    .statusCode(429).body("detail", equalTo("Votre organisation a déjà 4 recherches en cours; réessayez dans un moment."));
            searches.release();
        }
        given().auth().oauth2(token).queryParam("q", "naloxone").get("/v1/network/notes").then().statusCode(200);
    }

    /** Found by make soak: a burst its rate limit allowed took the whole pool, and everyone queued behind it. */
    @Test
    void anOrganizationHasTenRequestsUnderWayAndOthersAreNotHeldUp() throws Exception {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        String token = Tokens.of("riverside", "viewer");
        try (HeldOnLock requests = new HeldOnLock("site", "/v1/orgs/riverside/sites", token, 10, "ten requests under way")) {
            given().auth().oauth2(token).header("Accept-Language", "fr").get("/v1/orgs/riverside/notes").then().statusCode(429)
                    .header("Retry-After", equalTo("5")).body("type", equalTo("/problems/busy"))
                    .body("detail", equalTo("Votre organisation a déjà 10 requêtes en cours sur ce serveur; réessayez dans un moment."));
            given().auth().oauth2(Tokens.of("lakeshore", "viewer")).get("/v1/orgs/lakeshore/notes").then().statusCode(200);
            requests.release();
        }
        // Given back as each ended: the organization has its ten again.
        for (int i = 0; i < 12; i++) {
            given().auth().oauth2(token).get("/v1/orgs/riverside/notes").then().statusCode(200);
        }
    }

    private int waitingOnLock(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, "harbour_owner", "harbour_owner"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '" + table + "'::regclass")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aVisitDayNamesAtMostAHundredServices() {
        Fixtures.organization(Fixtures.RIVERSIDE);
        String site = Fixtures.site("riverside", "Many services " + UUID.randomUUID());
        Map<String, Object> services = new HashMap<>();
        for (int i = 0; i < 101; i++) {
            services.put("CODE_" + i, 1);
        }
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(Map.of("visits", 10, "servicesProvided", services))
                .put("/v1/orgs/riverside/sites/" + site + "/visits/2025-01-01").then().statusCode(400)
                .body("errors[0].field", equalTo("servicesProvided"));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).get("/v1/orgs/riverside/sites/" + site + "/visits/2025-01-01")
                .then().statusCode(404);
    }

    @Test
    void everyConnectionOfTheWritePathHasTimeouts() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String[] setting : new String[][] { { "statement_timeout", "30s" }, { "lock_timeout", "5s" },
                    { "idle_in_transaction_session_timeout", "30s" } }) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting[0])) {
                    rs.next();
                    assertEquals(setting[1], rs.getString(1), setting[0]);
                }
            }
        }
    }
}
