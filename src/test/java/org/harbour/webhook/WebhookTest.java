package org.harbour.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.harbour.testsupport.ApiTest;
import org.harbour.testsupport.Database;
import org.harbour.testsupport.Fixtures;
import org.harbour.testsupport.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class WebhookTest extends ApiTest {

    /** A loopback receiver: records what it is sent; fails the first N deliveries with 500. */
    static final class Receiver {
        final HttpServer server;
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<String> signatures = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft;

        Receiver(int failFirst) throws IOException {
            failuresLeft = new AtomicInteger(failFirst);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
                if (status == 204) {
                    bodies.add(body);
                    signatures.add(exchange.getRequestHeaders().getFirst("Harbour-Signature"));
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }
    }

    Receiver riverside;
    Receiver lakeshore;
    String marker;

    @BeforeEach
    void setUp() throws IOException {
        Fixtures.organization(Fixtures.RIVERSIDE);
        Fixtures.organization(Fixtures.LAKESHORE);
        riverside = new Receiver(0);
        lakeshore = new Receiver(2);
        marker = UUID.randomUUID().toString();
    }

    @AfterEach
    void stop() {
        riverside.server.stop(0);
        lakeshore.server.stop(0);
    }

    private String register(String org, String url) {
        return given().auth().oauth2(Tokens.of(org, "org-admin")).contentType(ContentType.JSON)
                .body(Map.of("url", url, "description", "ops")).post("/v1/orgs/" + org + "/webhooks")
                .then().statusCode(201).body("secret", notNullValue()).extract().path("secret") + "|"
                + given().auth().oauth2(Tokens.of(org, "org-admin")).get("/v1/orgs/" + org + "/webhooks").then()
                        .extract().path("find { it.url == '" + url + "' }.id");
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 300 && !done.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
    }

    @Test
    void everyOrganizationGetsTheSignedAlertAndNothingElse() throws Exception {
        String[] river = register("riverside", riverside.url()).split("\\|");
        String[] lake = register("lakeshore", lakeshore.url()).split("\\|");
        String site = Fixtures.site("riverside", "Webhook site " + marker);
        LocalDate day = LocalDate.of(2019, 1, 7).plusWeeks(new java.util.Random().nextInt(50));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(Map.of("externalRef", "WH-" + marker, "siteId", site, "takenAt", day.atTime(12, 0).toInstant(ZoneOffset.UTC).toString(),
                        "expected", "COCAINE", "sampleKind", "DRUG", "methods", List.of("FTIR"),
                        "results", List.of(Map.of("substance", "XYLAZINE", "method", "FTIR", "abundance", "TRACE"))))
                .post("/v1/orgs/riverside/drug-checks").then().statusCode(201);

        await(() -> !riverside.bodies.isEmpty() && !lakeshore.bodies.isEmpty());
        for (Receiver r : List.of(riverside, lakeshore)) {
            String body = r.bodies.get(0);
            assertTrue(body.contains("\"substance\":\"XYLAZINE\"") && body.contains("\"province\":\"CA-ON\""), body);
            for (String secret : List.of(marker, site, "riverside", "WH-", "Webhook site")) {
                assertFalse(body.contains(secret), "a delivery carries the alert only: " + body);
            }
        }
        assertSigned(river[0], riverside);
        assertSigned(lake[0], lakeshore);

        // Lakeshore's receiver failed twice: the third attempt delivered, and all three are on record.
        await(() -> "DELIVERED".equals(given().auth().oauth2(Tokens.of("lakeshore", "org-admin"))
                .get("/v1/orgs/lakeshore/webhooks/" + lake[1] + "/deliveries").then().extract().path("[0].status")));
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/lakeshore/webhooks/" + lake[1] + "/deliveries")
                .then().statusCode(200).body("[0].status", equalTo("DELIVERED")).body("[0].attempts", equalTo(3))
                .body("[0].lastStatusCode", equalTo(204)).body("[0].nextAttemptAt", nullValue());
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/lakeshore/webhooks/" + river[1] + "/deliveries")
                .then().statusCode(404);
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).get("/v1/orgs/lakeshore/webhooks").then().statusCode(200)
                .body("url.flatten()", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(riverside.url())))
                .body("secret.flatten()", org.hamcrest.Matchers.everyItem(nullValue()));
        given().auth().oauth2(Tokens.of("riverside", "org-admin")).delete("/v1/orgs/riverside/webhooks/" + river[1]).then().statusCode(204);
        given().auth().oauth2(Tokens.of("lakeshore", "org-admin")).delete("/v1/orgs/lakeshore/webhooks/" + lake[1]).then().statusCode(204);
    }

    private static void assertSigned(String secret, Receiver r) throws Exception {
        String header = r.signatures.get(0);
        String t = header.replaceAll("^t=(\\d+),v1=.*$", "$1");
        String v1 = header.replaceAll("^t=\\d+,v1=([0-9a-f]+)$", "$1");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal((t + "." + r.bodies.get(0)).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, v1);
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) < 600);
    }

    @Test
    void internalDestinationsAreRefused() {
        for (String url : List.of("http://93.184.216.34/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
                "https://192.168.0.10/x", "https://[fd00::1]/x",
                "https://[64:ff9b::a00:1]/x", "https://[2002:a00:1::]/x", "https://[2001:0:a00:1::]/x", "https://100.64.0.1/x", "ftp://127.0.0.1/x", "not a url")) {
            given().auth().oauth2(Tokens.of("riverside", "org-admin")).contentType(ContentType.JSON).body(Map.of("url", url))
                    .post("/v1/orgs/riverside/webhooks").then().statusCode(422).body("errors[0].field", equalTo("url"));
        }
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(Map.of("url", "https://93.184.216.34/hook")).post("/v1/orgs/riverside/webhooks").then().statusCode(403);
    }

    private static void raiseAlert(String site, String marker) {
        LocalDate day = LocalDate.of(2018, 1, 1).plusWeeks(new java.util.Random().nextInt(50));
        given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType(ContentType.JSON)
                .body(Map.of("externalRef", "WH-" + marker, "siteId", site, "takenAt", day.atTime(12, 0).toInstant(ZoneOffset.UTC).toString(),
                        "expected", "COCAINE", "sampleKind", "DRUG", "methods", List.of("FTIR"),
                        "results", List.of(Map.of("substance", "XYLAZINE", "method", "FTIR", "abundance", "TRACE"))))
                .post("/v1/orgs/riverside/drug-checks").then().statusCode(201);
    }

    private static void removeWebhooks(String org) {
        List<String> ids = given().auth().oauth2(Tokens.of(org, "org-admin")).get("/v1/orgs/" + org + "/webhooks").then().extract().path("id");
        ids.forEach(id -> given().auth().oauth2(Tokens.of(org, "org-admin")).delete("/v1/orgs/" + org + "/webhooks/" + id)
                .then().statusCode(204));
    }

    /**
     * Issue 9, point 6: one organization's receivers never answer, another's send headers and drip the body;
     * each has the most webhooks allowed. A third organization's delivery still arrives at once.
     */
    @Test
    void hostileReceiversDoNotDelayAnotherOrganizationsDelivery() throws Exception {
        Fixtures.organization("tidewater");
        Fixtures.organization("prairie");
        java.net.ServerSocket silent = new java.net.ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress());
        HttpServer dripping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        java.util.concurrent.ExecutorService drippers = java.util.concurrent.Executors.newCachedThreadPool();
        dripping.setExecutor(drippers);
        dripping.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try {
                for (int i = 0; i < 600; i++) {
                    exchange.getResponseBody().write('.');
                    exchange.getResponseBody().flush();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException | IOException stopped) {
                // the test is over or the client went away
            }
            exchange.close();
        });
        dripping.start();
        try {
            for (int i = 0; i < 10; i++) {
                register("tidewater", "http://127.0.0.1:" + silent.getLocalPort() + "/hook/" + i);
                register("prairie", "http://127.0.0.1:" + dripping.getAddress().getPort() + "/hook/" + i);
            }
            given().auth().oauth2(Tokens.of("tidewater", "org-admin")).contentType(ContentType.JSON)
                    .body(Map.of("url", "http://127.0.0.1:" + silent.getLocalPort() + "/eleventh")).post("/v1/orgs/tidewater/webhooks")
                    .then().statusCode(422).body("errors[0].field", equalTo("url"))
                    .body("errors[0].message", equalTo("this organization already has 10 webhooks, the most allowed: remove one first"));
            register("riverside", riverside.url());
            String site = Fixtures.site("riverside", "Hostile receivers " + marker);

            long raised = System.nanoTime();
            raiseAlert(site, marker);
            await(() -> !riverside.bodies.isEmpty());
            long tookMillis = (System.nanoTime() - raised) / 1_000_000;
            assertFalse(riverside.bodies.isEmpty(), "riverside's delivery arrived");
            assertTrue(tookMillis < deadline.toMillis(), "riverside waited " + tookMillis + " ms, less than one hostile call's deadline");
        } finally {
            removeWebhooks("tidewater");
            removeWebhooks("prairie");
            removeWebhooks("riverside");
            silent.close();
            dripping.stop(0);
            drippers.shutdownNow();
        }
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "harbour.webhooks.deadline")
    java.time.Duration deadline;

    /** Issue 9, point 7: a suspended organization's webhooks get nothing; once reactivated, they get the next alert. */
    @Test
    void aSuspendedOrganizationReceivesNothing() throws Exception {
        Fixtures.organization("westwind");
        Receiver westwind = new Receiver(0);
        try {
            register("westwind", westwind.url());
            register("riverside", riverside.url());
            given().auth().oauth2(Fixtures.admin()).post("/v1/admin/organizations/westwind/suspend").then().statusCode(200);
            String site = Fixtures.site("riverside", "Suspension " + marker);
            try {
                raiseAlert(site, marker);
                await(() -> !riverside.bodies.isEmpty());
                Thread.sleep(500);
                assertEquals(1, riverside.bodies.size());
                assertEquals(0, westwind.bodies.size(), "a suspended organization received an alert");
            } finally {
                given().auth().oauth2(Fixtures.admin()).post("/v1/admin/organizations/westwind/reactivate").then().statusCode(200);
            }
            raiseAlert(site, marker + "-again");
            await(() -> !westwind.bodies.isEmpty());
            assertEquals(1, westwind.bodies.size());
        } finally {
            removeWebhooks("westwind");
            removeWebhooks("riverside");
            westwind.server.stop(0);
        }
    }

    /** Review of issue 9: a burst of samples (one import) updates one alert; it is delivered as it stands, not once per sample. */
    @Test
    void aBurstOfSamplesIsDeliveredAsTheAlertStandsNotOncePerSample() throws Exception {
        register("riverside", riverside.url());
        String site = Fixtures.site("riverside", "Burst " + marker);
        LocalDate day = LocalDate.of(2017, 1, 2).plusWeeks(new java.util.Random().nextInt(50));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("{\"type\":\"drug-check\",\"externalRef\":\"B-").append(marker).append('-').append(i)
                    .append("\",\"siteId\":\"").append(site).append("\",\"takenAt\":\"").append(day.atTime(12, 0).toInstant(ZoneOffset.UTC))
                    .append("\",\"expected\":\"COCAINE\",\"sampleKind\":\"DRUG\",\"methods\":[\"FTIR\"],\"results\":[{\"substance\":")
                    .append("\"XYLAZINE\",\"method\":\"FTIR\",\"abundance\":\"TRACE\"}]}\n");
        }
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                .encoderConfig().encodeContentTypeAs("application/x-ndjson", ContentType.TEXT));
        try {
            given().auth().oauth2(Tokens.of("riverside", "reporter")).contentType("application/x-ndjson").body(lines.toString())
                    .post("/v1/orgs/riverside/imports").then().statusCode(200).body("counts.created", equalTo(30));
            await(() -> riverside.bodies.stream().anyMatch(b -> b.contains("\"samples\":30")));
            Thread.sleep(500);
            assertTrue(riverside.bodies.stream().anyMatch(b -> b.contains("\"samples\":30")), "the alert as it stands was delivered");
            assertTrue(riverside.bodies.size() < 30, "one delivery per sample: " + riverside.bodies.size());
        } finally {
            removeWebhooks("riverside");
        }
    }

    /**
     * Issue 10, point 1: webhook work lives in tables, not in an instance. An alert another instance committed is
     * fanned out once; a delivery whose instance died mid-call is taken over once its lease has run out, by one
     * attempt; one still leased by a live instance is left to it.
     */
    @Test
    void workLeftByAnotherInstanceIsDoneHereOnceAndALiveLeaseIsLeftAlone() throws Exception {
        String[] river = register("riverside", riverside.url()).split("\\|");
        UUID orphan = UUID.randomUUID();
        UUID leased = UUID.randomUUID();
        Database.asOwner("SELECT set_config('harbour.org', 'riverside', false); "
                + "INSERT INTO webhook_delivery (org_id, id, webhook_id, event, payload, status, attempts, next_attempt_at, leased_until) VALUES "
                + "('riverside', '" + orphan + "', '" + river[1] + "', 'alert', '{\"orphan\":\"" + marker + "\"}', 'PENDING', 1, "
                + "now() - interval '20 seconds', now() - interval '1 second'), "
                + "('riverside', '" + leased + "', '" + river[1] + "', 'alert', '{\"leased\":\"" + marker + "\"}', 'PENDING', 1, "
                + "now() - interval '20 seconds', now() + interval '1 hour')");
        Database.asOwner("INSERT INTO alert_outbox (substance, province, week, version, payload) VALUES ('XYLAZINE', 'CA-ON', "
                + "'2098-W01', 7, '{\"substance\":\"XYLAZINE\",\"province\":\"CA-ON\",\"week\":\"2098-W01\",\"samples\":7,"
                + "\"sites\":1,\"firstSeen\":\"2098-01-01T00:00:00Z\",\"lastSeen\":\"2098-01-01T00:00:00Z\",\"version\":7}')");
        try {
            await(() -> riverside.bodies.stream().anyMatch(b -> b.contains("orphan")) && riverside.bodies.stream().anyMatch(b -> b.contains("2098-W01")));
            Thread.sleep(2500); // two sweeps more: nothing is done twice
            assertEquals(1, riverside.bodies.stream().filter(b -> b.contains("\"orphan\"")).count(), riverside.bodies.toString());
            assertEquals(1, riverside.bodies.stream().filter(b -> b.contains("2098-W01")).count(), riverside.bodies.toString());
            assertEquals(0, riverside.bodies.stream().filter(b -> b.contains("\"leased\"")).count(), "another instance holds it");
            given().auth().oauth2(Tokens.of("riverside", "org-admin")).get("/v1/orgs/riverside/webhooks/" + river[1] + "/deliveries")
                    .then().statusCode(200)
                    .body("find { it.id == '" + orphan + "' }.status", equalTo("DELIVERED"))
                    .body("find { it.id == '" + orphan + "' }.attempts", equalTo(2))
                    .body("find { it.id == '" + leased + "' }.status", equalTo("PENDING"))
                    .body("find { it.id == '" + leased + "' }.attempts", equalTo(1));
        } finally {
            removeWebhooks("riverside");
        }
    }
}
