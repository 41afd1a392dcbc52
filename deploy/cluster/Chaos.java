// The load of make chaos (deploy/cluster/chaos.sh): clients posting incidents through the balancer while the
// script kills the primary database and an API instance. Each incident has its own externalRef, sent as its
// Idempotency-Key too, and is sent again after any answer but a 2xx, until one comes, as a member's system would:
// so a write is acknowledged once, and every acknowledged write must be in the database exactly once.
// One JSON line per attempt: {"start": ms since the run began, "ms": duration, "status": HTTP status (0: no
// answer), "ref", "problem": problem+json?, "retryAfter": header present?, "id": the record's id on a 2xx}.
// Usage: java Chaos.java BALANCER KEYCLOAK SECONDS OUT THREADS RUN (RUN: a prefix of this run's externalRefs)
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Chaos {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    static volatile String token;

    public static void main(String[] args) throws Exception {
        String balancer = args[0];
        String keycloak = args[1];
        long seconds = Long.parseLong(args[2]);
        Path out = Path.of(args[3]);
        int threads = Integer.parseInt(args[4]);
        String run = args[5];
        token = token(keycloak);
        String site = field(HTTP.send(HttpRequest.newBuilder(URI.create(balancer + "/v1/orgs/riverside/sites"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body(), "id");
        long begin = System.currentTimeMillis();
        long end = begin + seconds * 1000;
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(out))) {
            Thread refresher = new Thread(() -> {
                while (System.currentTimeMillis() < end + 120_000) {
                    try {
                        Thread.sleep(60_000);
                        token = token(keycloak);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the old token lasts five minutes
                    }
                }
            });
            refresher.setDaemon(true);
            refresher.start();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread client = new Thread(() -> {
                    while (System.currentTimeMillis() < end) {
                        String ref = "CH-" + run + "-" + UUID.randomUUID();
                        String body = "{\"externalRef\":\"" + ref + "\",\"siteId\":\"" + site + "\",\"occurredAt\":\"2026-10-01T02:00:00Z\","
                                + "\"location\":\"INSIDE\",\"kind\":\"OVERDOSE\",\"substances\":[\"FENTANYL\"],\"mode\":\"INJECTION\","
                                + "\"response\":{\"naloxoneDoses\":1},\"outcome\":\"RESOLVED_ON_SITE\"}";
                        // Once begun, a write is sent until acknowledged, past the end of the run if need be (2 minutes at most).
                        while (System.currentTimeMillis() < end + 120_000) {
                            long started = System.currentTimeMillis();
                            int status = 0;
                            String answer = "";
                            String contentType = "";
                            String retryAfter = null;
                            try {
                                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(balancer + "/v1/orgs/riverside/incidents"))
                                        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
                                        .header("Content-Type", "application/json").header("Idempotency-Key", ref)
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                                status = r.statusCode();
                                answer = r.body();
                                contentType = r.headers().firstValue("Content-Type").orElse("");
                                retryAfter = r.headers().firstValue("Retry-After").orElse(null);
                            } catch (IOException e) {
                                answer = e.getClass().getSimpleName();
                            } catch (InterruptedException e) {
                                return;
                            }
                            long ms = System.currentTimeMillis() - started;
                            boolean ok = status >= 200 && status < 300;
                            synchronized (log) {
                                log.printf("{\"at\":%d,\"start\":%d,\"ms\":%d,\"status\":%d,\"ref\":\"%s\",\"problem\":%b,\"retryAfter\":%b,\"id\":%s,\"error\":\"%s\"}%n",
                                        started, started - begin, ms, status, ref, contentType.startsWith("application/problem+json"), retryAfter != null,
                                        ok ? "\"" + field(answer, "id") + "\"" : "null",
                                        status == 0 ? answer : "");
                            }
                            if (ok) {
                                break;
                            }
                            sleep(retryAfter == null ? 500 : Math.min(2000, Long.parseLong(retryAfter.trim()) * 1000));
                        }
                    }
                });
                client.start();
                clients.add(client);
            }
            for (Thread client : clients) {
                client.join();
            }
        }
    }

    static String token(String keycloak) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak + "/realms/riverside/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=riverside-system"
                        + "&client_secret=riverside-system-secret")).build(), HttpResponse.BodyHandlers.ofString());
        return field(r.body(), "access_token");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
