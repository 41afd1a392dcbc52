import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * make soak, one phase: open-loop traffic of the well-behaved organizations (each operation at a fixed rate;
 * latency counted from when the request was due, so a stalled server cannot hide its queue), and in the
 * hostile phase one organization that misbehaves in every way the issue lists. Then every write acknowledged
 * with a 2xx is looked up in the database: present, once.
 *
 *   java -cp CLASSPATH Soak.java API KEYCLOAK JDBC PHASE SECONDS REPORT.json
 *
 * PHASE is clean (the misbehaving organization idle, its webhooks removed) or hostile.
 */
public class Soak {

    static final List<String> GOOD = List.of("riverside", "lakeshore", "coastal", "chinook");
    static final String BAD = "avalon";
    static final Map<String, String> PROVINCE = Map.of("riverside", "CA-ON", "lakeshore", "CA-ON", "coastal", "CA-BC",
            "chinook", "CA-AB", "avalon", "CA-NL");
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern LINE_STATUS = Pattern.compile("\"line\"\\s*:\\s*(\\d+)[^}]*?\"status\"\\s*:\\s*\"([A-Z]+)\"");

    final String api;
    final String keycloak;
    final String jdbc;
    final String phase;
    final String tag;
    final int seconds;
    final double rate;
    final HttpClient http = client();
    /** A client per organization: each has its own connections and selector thread, as each member's system would. */
    final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    final ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);
    final Map<String, String[]> sites = new ConcurrentHashMap<>();
    final Tokens tokens;
    final Stats good = new Stats();
    final Stats bad = new Stats();
    final Ledger ledger = new Ledger();
    final AtomicBoolean running = new AtomicBoolean(true);
    /** When each good organization's receiver got a webhook delivery, and when a substance of concern was acknowledged. */
    final Map<String, ConcurrentLinkedQueue<Long>> deliveries = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> concerns = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicLong> streamEvents = new ConcurrentHashMap<>();
    final AtomicLong sequence = new AtomicLong();
    final Map<String, AtomicLong> visitDays = new ConcurrentHashMap<>();

    Soak(String[] args) {
        api = args[0];
        keycloak = args[1];
        jdbc = args[2];
        phase = args[3];
        seconds = Integer.parseInt(args[4]);
        rate = Double.parseDouble(System.getenv().getOrDefault("SOAK_RATE", "1"));
        tag = "SOAK-" + phase + "-" + Instant.now().getEpochSecond();
        tokens = new Tokens(http, keycloak);
    }

    public static void main(String[] args) throws Exception {
        try {
            Map<String, Object> report = new Soak(args).run();
            Files.writeString(Path.of(args[5]), Json.of(report));
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    Map<String, Object> run() throws Exception {
        HttpServer receiver = goodReceiver();
        Hostile hostile = new Hostile();
        setUp(receiver.getAddress().getPort(), hostile);
        log("Phase " + phase + ": " + seconds + " s; well-behaved " + GOOD + (phase.equals("hostile") ? "; misbehaving " + BAD : ""));
        long start = System.nanoTime();
        GOOD.forEach(this::startOrganization);
        if (phase.equals("hostile")) {
            hostile.start();
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        long elapsed = System.nanoTime() - start;
        clock.shutdownNow();
        log("Traffic stopped; waiting up to 40 s for answers in flight");
        good.awaitIdle(40);
        bad.awaitIdle(5);
        hostile.stop();
        receiver.stop(0);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("phase", phase);
        report.put("seconds", elapsed / 1e9);
        report.put("rate", rate);
        report.put("good", good.report(elapsed));
        report.put("misbehaving", bad.report(elapsed));
        report.put("webhooks", webhookReport());
        report.put("streamEvents", new TreeMap<>(streamEvents));
        report.put("exactlyOnce", ledger.check(jdbc));
        return report;
    }

    // ----------------------------------------------------------------------------------------------------
    // Set-up, through the API, as the network admin and each organization's admin would do it.

    void setUp(int receiverPort, Hostile hostile) throws Exception {
        String admin = tokens.get("network", "harbour-admin", null);
        for (String org : concat(GOOD, List.of(BAD))) {
            String body = "{\"slug\":\"" + org + "\",\"legalNameEn\":\"Soak " + org + "\",\"legalNameFr\":\"Soak " + org
                    + "\",\"provinces\":[\"" + PROVINCE.get(org) + "\"],\"issuer\":\"" + keycloak + "/realms/" + org
                    + "\",\"audience\":\"harbour-api\"}";
            expect(send("POST", "/v1/admin/organizations", admin, body, null), 201, 409);
            String orgAdmin = tokens.get(org, org + "-system", org + "-admin");
            List<String> ids = ids(expect(send("GET", "/v1/orgs/" + org + "/sites?limit=10", orgAdmin, null, null), 200).body());
            for (int i = ids.size(); i < 3; i++) {
                String site = "{\"name\":\"Soak site " + i + "\",\"kind\":\"SCS\",\"model\":\"STANDALONE\",\"city\":\"Soak\","
                        + "\"province\":\"" + PROVINCE.get(org) + "\",\"timeZone\":\"America/Toronto\",\"booths\":6,\"openedOn\":\"2020-01-01\"}";
                ids.add(ids(expect(send("POST", "/v1/orgs/" + org + "/sites", orgAdmin, site, null), 201).body()).get(0));
            }
            sites.put(org, ids.subList(0, 3).toArray(String[]::new));
            for (String hook : ids(expect(send("GET", "/v1/orgs/" + org + "/webhooks", orgAdmin, null, null), 200).body())) {
                expect(send("DELETE", "/v1/orgs/" + org + "/webhooks/" + hook, orgAdmin, null, null), 204);
            }
            List<String> urls = new ArrayList<>();
            if (GOOD.contains(org)) {
                urls.add("http://127.0.0.1:" + receiverPort + "/hook/" + org);
                deliveries.put(org, new ConcurrentLinkedQueue<>());
            } else if (phase.equals("hostile")) {
                if (hostile.does("webhooks")) {
                    urls.addAll(hostile.receivers());
                }
            }
            for (String url : urls) {
                expect(send("POST", "/v1/orgs/" + org + "/webhooks", orgAdmin, "{\"url\":\"" + url + "\"}", null), 201);
            }
        }
    }

    HttpServer goodReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/hook/", exchange -> {
            String org = exchange.getRequestURI().getPath().substring("/hook/".length());
            exchange.getRequestBody().readAllBytes();
            deliveries.getOrDefault(org, new ConcurrentLinkedQueue<>()).add(System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    // ----------------------------------------------------------------------------------------------------
    // The well-behaved organizations: each operation at a fixed rate.

    void startOrganization(String org) {
        every(5, () -> postIncident(org));
        every(1.5, () -> postDrugCheck(org));
        every(2, () -> putVisit(org));
        every(0.5, () -> postNote(org));
        every(0.2, () -> importIncidents(org));
        every(4, () -> read(org, "list incidents", "/v1/orgs/" + org + "/incidents?limit=50"));
        every(2, () -> read(org, "read site", "/v1/orgs/" + org + "/sites/" + site(org)));
        every(1, () -> read(org, "search notes", "/v1/network/notes?q=naloxone&limit=20"));
        Thread stream = new Thread(() -> alertStream(org), "stream-" + org);
        stream.setDaemon(true);
        stream.start();
    }

    void every(double perSecond, Runnable task) {
        long period = (long) (1_000_000 / (perSecond * rate));
        long delay = ThreadLocalRandom.current().nextLong(period);
        clock.scheduleAtFixedRate(() -> {
            if (running.get()) {
                task.run();
            }
        }, delay, period, TimeUnit.MICROSECONDS);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(4)).build();
    }

    HttpClient clientOf(String org) {
        return clients.computeIfAbsent(org, k -> client());
    }

    String site(String org) {
        String[] ids = sites.get(org);
        return ids[ThreadLocalRandom.current().nextInt(ids.length)];
    }

    String reporter(String org) {
        return tokens.get(org, org + "-system", null);
    }

    void postIncident(String org) {
        String ref = tag + "-" + org + "-i" + sequence.incrementAndGet();
        String body = incident(ref, ThreadLocalRandom.current().nextBoolean() ? site(org) : null);
        write(org, "post incident", "/v1/orgs/" + org + "/incidents", body, null, 201, answer -> {
            ledger.add(org, "incident", ref);
            if (ThreadLocalRandom.current().nextInt(20) == 0) { // a member system that resends what it already got
                write(org, "post incident again", "/v1/orgs/" + org + "/incidents", body, null, 200, again -> {
                    if (!ids(again).equals(ids(answer))) {
                        ledger.mismatch("incident resent " + ref + " answered another id");
                    }
                });
            }
        });
    }

    void postDrugCheck(String org) {
        String ref = tag + "-" + org + "-d" + sequence.incrementAndGet();
        boolean concern = ThreadLocalRandom.current().nextInt(5) == 0;
        String body = "{\"externalRef\":\"" + ref + "\",\"siteId\":\"" + site(org) + "\",\"takenAt\":\"" + recently()
                + "\",\"expected\":\"FENTANYL\",\"sampleKind\":\"DRUG\",\"methods\":[\"FTIR\"],\"results\":["
                + "{\"substance\":\"FENTANYL\",\"method\":\"FTIR\",\"abundance\":\"PRIMARY\"}"
                + (concern ? ",{\"substance\":\"XYLAZINE\",\"method\":\"FTIR\",\"abundance\":\"TRACE\"}" : "") + "]}";
        write(org, "post drug check", "/v1/orgs/" + org + "/drug-checks", body, null, 201, answer -> {
            ledger.add(org, "drug check", ref);
            if (concern) {
                concerns.add(System.nanoTime());
            }
        });
    }

    void putVisit(String org) {
        // A day per write, back from yesterday: each (site, day) written once a phase, so the stored value is the one acknowledged.
        long n = visitDays.computeIfAbsent(org, k -> new AtomicLong()).getAndIncrement();
        String[] ids = sites.get(org);
        String site = ids[(int) (n % ids.length)];
        LocalDate day = LocalDate.now().minusDays(1 + n / ids.length);
        int visits = 20 + ThreadLocalRandom.current().nextInt(200);
        String body = "{\"visits\":" + visits + ",\"uniqueClients\":" + visits / 2 + ",\"byMode\":{\"injection\":" + visits / 2
                + ",\"inhalation\":" + visits / 4 + "},\"servicesProvided\":{\"NALOXONE_DISTRIBUTION\":3}}";
        send(org, good, "put visit day", "PUT", "/v1/orgs/" + org + "/sites/" + site + "/visits/" + day, body, null,
                Set.of(200, 201), answer -> ledger.add(org, "visit day", site + "/" + day + "=" + visits));
    }

    void postNote(String org) {
        long n = sequence.incrementAndGet();
        String title = tag + " note " + org + " " + n;
        String key = UUID.randomUUID().toString();
        String body = "{\"title\":\"" + title + "\",\"body\":\"Naloxone kits at every door; a drill every month.\",\"language\":\"en\","
                + "\"theme\":\"OPERATIONS\",\"kind\":\"TIP\",\"tags\":[\"soak\"],\"visibility\":\"NETWORK\"}";
        write(org, "post note", "/v1/orgs/" + org + "/notes", body, key, 201, answer -> {
            ledger.add(org, "note", title);
            if (ThreadLocalRandom.current().nextInt(10) == 0) { // its answer lost: the same key again
                write(org, "post note again", "/v1/orgs/" + org + "/notes", body, key, 201, again -> {
                    if (!ids(again).equals(ids(answer))) {
                        ledger.mismatch("note resent with its key " + title + " answered another id");
                    }
                });
            }
        });
    }

    void importIncidents(String org) {
        long n = sequence.incrementAndGet();
        StringBuilder body = new StringBuilder();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String ref = tag + "-" + org + "-m" + n + "-" + i;
            refs.add(ref);
            body.append("{\"type\":\"incident\",").append(incident(ref, i % 2 == 0 ? site(org) : null).substring(1)).append('\n');
        }
        send(org, good, "import 100 incidents", "POST", "/v1/orgs/" + org + "/imports", body.toString(), null, Set.of(200), answer -> {
            Matcher m = LINE_STATUS.matcher(answer);
            int written = 0;
            while (m.find()) {
                int line = Integer.parseInt(m.group(1));
                if (!m.group(2).equals("REJECTED") && line >= 1 && line <= refs.size()) {
                    ledger.add(org, "incident", refs.get(line - 1));
                    written++;
                }
            }
            if (written != refs.size()) {
                ledger.mismatch("import " + n + " of " + org + ": " + written + " of " + refs.size() + " lines written");
            }
        });
    }

    void read(String org, String what, String path) {
        send(org, good, what, "GET", path, null, null, Set.of(200), answer -> {
        });
    }

    /** One alert stream per organization, open all the phase; reopened if the server ends it. */
    void alertStream(String org) {
        streamEvents.put(org, new AtomicLong());
        while (running.get()) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/network/alerts/stream"))
                        .header("Authorization", "Bearer " + reporter(org)).header("Accept", "text/event-stream").build();
                HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    good.count("alert stream", response.statusCode(), 0);
                    Thread.sleep(1000);
                    continue;
                }
                good.count("alert stream", 200, 0);
                response.body().takeWhile(line -> running.get()).filter(line -> line.startsWith("data:"))
                        .forEach(line -> streamEvents.get(org).incrementAndGet());
            } catch (IOException e) {
                good.error("alert stream");
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    String incident(String ref, String site) {
        return "{\"externalRef\":\"" + ref + "\"," + (site == null ? "\"location\":\"OUTREACH\"," : "\"siteId\":\"" + site + "\",\"location\":\"INSIDE\",")
                + "\"occurredAt\":\"" + recently() + "\",\"kind\":\"OVERDOSE\",\"substances\":[\"FENTANYL\"],\"mode\":\"INHALATION\","
                + "\"response\":{\"naloxoneDoses\":1,\"oxygen\":true},\"outcome\":\"RESOLVED_ON_SITE\",\"debrief\":{\"held\":true,\"kind\":\"HOT\",\"heldAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}}";
    }

    static String recently() {
        return Instant.now().minus(ThreadLocalRandom.current().nextInt(1, 60 * 24 * 20), ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.SECONDS).toString();
    }

    interface Answer {
        void accept(String body);
    }

    /** A write as a careful member system sends it: one resend, the same body and key, after a timeout or a refusal to wait. */
    void write(String org, String what, String path, String body, String key, int status, Answer then) {
        send(org, good, what, "POST", path, body, key, Set.of(status), then);
    }

    void send(String org, Stats stats, String what, String method, String path, String body, String key, Set<Integer> ok, Answer then) {
        long due = System.nanoTime();
        stats.started();
        attempt(org, stats, what, method, path, body, key, ok, then, due, 1);
    }

    void attempt(String org, Stats stats, String what, String method, String path, String body, String key, Set<Integer> ok,
            Answer then, long due, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + reporter(org)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", path.endsWith("/imports") ? "application/x-ndjson" : "application/json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        clientOf(org).sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            boolean again = attempt < 2 && !method.equals("GET") && (failure != null || response.statusCode() == 429 || response.statusCode() == 503);
            if (again) {
                // Resent with what made it safe (its externalRef, its Idempotency-Key, the same day of visits).
                stats.retried(what);
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)
                        .execute(() -> attempt(org, stats, what, method, path, body, key, ok, then, due, attempt + 1));
                return;
            }
            // A resend that finds what its first attempt stored (by its externalRef) is answered 200: as good as 201.
            boolean stored = attempt == 2 && ok.contains(201) && response != null && response.statusCode() == 200;
            try {
                if (failure != null) {
                    stats.error(what);
                    return;
                }
                stats.count(what, response.statusCode(), System.nanoTime() - due);
                if (ok.contains(response.statusCode()) || stored) {
                    then.accept(response.body());
                } else if (stats == good) {
                    ledger.unexpected(what + " " + response.statusCode() + " " + truncate(response.body()));
                }
            } finally {
                stats.finished();
            }
        });
    }

    HttpResponse<String> send(String method, String path, String token, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int... statuses) {
        if (Arrays.stream(statuses).noneMatch(s -> s == response.statusCode())) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + ": " + response.statusCode() + " "
                    + truncate(response.body()));
        }
        return response;
    }

    static List<String> ids(String json) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(json);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    Map<String, Object> webhookReport() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Long> delays = new ArrayList<>();
        int missing = 0;
        List<Long> raised = new ArrayList<>(concerns);
        for (String org : GOOD) {
            List<Long> got = new ArrayList<>(deliveries.getOrDefault(org, new ConcurrentLinkedQueue<>()));
            Collections.sort(got);
            out.put(org + " deliveries", got.size());
            for (long t : raised) {
                int i = Collections.binarySearch(got, t);
                int next = i >= 0 ? i : -i - 1;
                if (next < got.size()) {
                    delays.add(got.get(next) - t);
                } else {
                    missing++;
                }
            }
        }
        Collections.sort(delays);
        out.put("substances of concern acknowledged", raised.size());
        out.put("delay to the next delivery at each good organization, p50 ms", Stats.percentile(delays, 50) / 1e6);
        out.put("delay to the next delivery at each good organization, p99 ms", Stats.percentile(delays, 99) / 1e6);
        out.put("concerns followed by no delivery (organization x concern)", missing);
        return out;
    }

    // ----------------------------------------------------------------------------------------------------
    // The misbehaving organization.

    final class Hostile {
        final List<ServerSocket> servers = new ArrayList<>();
        final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        /** What it does (SOAK_HOSTILE, a comma-separated subset, to see what costs what): all by default. */
        final Set<String> does = Set.of(System.getenv().getOrDefault("SOAK_HOSTILE", "flood,slow,oversized,webhooks,streams").split(","));

        boolean does(String what) {
            return does.contains(what);
        }

        /** Ten webhook destinations (the most an organization may have): five never answer, five drip their answer. */
        List<String> receivers() throws IOException {
            ServerSocket silent = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
            ServerSocket dripping = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
            servers.add(silent);
            servers.add(dripping);
            daemon("silent receiver", () -> accept(silent, socket -> {
            }));
            daemon("dripping receiver", () -> accept(dripping, socket -> {
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (running.get()) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(1000);
                }
            }));
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                urls.add("http://127.0.0.1:" + silent.getLocalPort() + "/silent/" + i);
                urls.add("http://127.0.0.1:" + dripping.getLocalPort() + "/drip/" + i);
            }
            return urls;
        }

        interface Handler {
            void handle(Socket socket) throws Exception;
        }

        void accept(ServerSocket server, Handler handler) {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    held.add(socket);
                    daemon("receiver connection", () -> {
                        try {
                            handler.handle(socket);
                        } catch (Exception ignored) {
                            // the API gave up on it: what it should do
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        }

        void start() {
            // Bursts past its rate limit: 3 s at 90 requests a second, then 6 s of quiet: 30 a second on average, twice
            // what soak.sh lets a client have (SOAK_FLOOD multiplies it; see the README for what 450 a second does here).
            double flood = 30 * Double.parseDouble(System.getenv().getOrDefault("SOAK_FLOOD", "1"));
            long period = (long) (1_000_000 / (flood * 3));
            long begun = System.nanoTime();
            clock.scheduleAtFixedRate(() -> {
                if (does("flood") && running.get() && ((System.nanoTime() - begun) / 1_000_000_000L) % 9 < 3) {
                    send(BAD, bad, "burst read", "GET", "/v1/orgs/" + BAD + "/incidents?limit=50", null, null, Set.of(200), body -> {
                    });
                }
            }, 0, period, TimeUnit.MICROSECONDS);
            // Substances of concern of its own, so that alerts keep going to its hostile receivers.
            clock.scheduleAtFixedRate(() -> {
                if (does("webhooks") && running.get()) {
                    String body = "{\"siteId\":\"" + site(BAD) + "\",\"takenAt\":\"" + recently() + "\",\"expected\":\"HEROIN\","
                            + "\"sampleKind\":\"DRUG\",\"methods\":[\"FTIR\"],\"results\":[{\"substance\":\"NITAZENE\",\"method\":\"FTIR\","
                            + "\"abundance\":\"PRIMARY\"}]}";
                    send(BAD, bad, "post drug check", "POST", "/v1/orgs/" + BAD + "/drug-checks", body, null, Set.of(201), b -> {
                    });
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            // Slow uploads: six at a time, each an import whose body comes at 1 KB a second and never ends.
            for (int i = 0; i < (does("slow") ? 6 : 0); i++) {
                boolean atomic = i % 2 == 0;
                daemon("slow upload", () -> {
                    while (running.get()) {
                        slowUpload(atomic);
                    }
                });
            }
            // Oversized bodies, one every 5 s: a declared 100 MB import, a chunked one that never stops, a 3 MB note.
            daemon("oversized", () -> {
                int n = 0;
                while (does("oversized") && running.get()) {
                    oversized(n++ % 3);
                    sleep(5000);
                }
            });
            // Alert streams it opens and never reads: twelve, two past its share.
            daemon("unread streams", () -> {
                for (int i = 0; i < 12 && does("streams") && running.get(); i++) {
                    rawRequest("GET /v1/network/alerts/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                            + reporter(BAD) + "\r\n\r\n", "unread alert stream");
                }
            });
        }

        void slowUpload(boolean atomic) {
            long due = System.nanoTime();
            bad.started();
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/orgs/" + BAD + "/imports" + (atomic ? "?atomic=true" : "") + " HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + reporter(BAD) + "\r\nContent-Type: application/x-ndjson\r\n"
                        + "Content-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String line = "{\"type\":\"incident\",\"location\":\"OUTREACH\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"kind\":\"OTHER\"}\n";
                long until = System.currentTimeMillis() + 60_000;
                socket.setSoTimeout(1);
                InputStream in = socket.getInputStream();
                while (running.get() && System.currentTimeMillis() < until) {
                    out.write(line.repeat(10).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    try {
                        if (in.read() >= 0) { // the API answered before the end: read the status, stop
                            bad.count("slow upload", status(in, "H"), System.nanoTime() - due);
                            return;
                        }
                    } catch (java.net.SocketTimeoutException quiet) {
                        // nothing yet
                    }
                    Thread.sleep(1000);
                }
                bad.count("slow upload", 0, System.nanoTime() - due); // gave up itself, as a slow client would
            } catch (Exception e) {
                bad.error("slow upload");
            } finally {
                bad.finished();
            }
        }

        void oversized(int kind) {
            long due = System.nanoTime();
            bad.started();
            String what = switch (kind) {
                case 0 -> "declared 100 MB import";
                case 1 -> "chunked import past 64 MB";
                default -> "3 MB note";
            };
            try (Socket socket = connect()) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                String auth = "Authorization: Bearer " + reporter(BAD) + "\r\n";
                byte[] block = "{\"type\":\"incident\",\"note\":\"".concat("x".repeat(65_000)).concat("\"}\n").getBytes(StandardCharsets.UTF_8);
                if (kind == 0) {
                    out.write(("POST /v1/orgs/" + BAD + "/imports HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/x-ndjson\r\n"
                            + "Content-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    writeUntilRefused(out, block, 100_000_000);
                } else if (kind == 1) {
                    out.write(("POST /v1/orgs/" + BAD + "/imports HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/x-ndjson\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] chunked = new byte[chunk.length + block.length + 2];
                    System.arraycopy(chunk, 0, chunked, 0, chunk.length);
                    System.arraycopy(block, 0, chunked, chunk.length, block.length);
                    chunked[chunked.length - 2] = '\r';
                    chunked[chunked.length - 1] = '\n';
                    writeUntilRefused(out, chunked, 80_000_000);
                } else {
                    byte[] note = ("{\"title\":\"big\",\"body\":\"" + "y".repeat(3_000_000) + "\",\"language\":\"en\",\"theme\":\"OPERATIONS\","
                            + "\"kind\":\"TIP\",\"visibility\":\"ORGANIZATION\"}").getBytes(StandardCharsets.UTF_8);
                    out.write(("POST /v1/orgs/" + BAD + "/notes HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                            + "Content-Length: " + note.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    writeUntilRefused(out, note, note.length);
                }
                bad.count(what, status(socket.getInputStream(), ""), System.nanoTime() - due);
            } catch (Exception e) {
                bad.error(what);
            } finally {
                bad.finished();
            }
        }

        void writeUntilRefused(OutputStream out, byte[] block, long total) {
            try {
                for (long sent = 0; sent < total && running.get(); sent += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, total - sent));
                }
                out.flush();
            } catch (IOException closed) {
                // the API stopped reading and answered: its status is read next
            }
        }

        void rawRequest(String head, String what) {
            try {
                Socket socket = connect();
                held.add(socket);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(10_000);
                bad.count(what, status(socket.getInputStream(), ""), 0);
                // and never read what follows
            } catch (Exception e) {
                bad.error(what);
            }
        }

        Socket connect() throws IOException {
            URI uri = URI.create(api);
            return new Socket(uri.getHost(), uri.getPort());
        }

        /** The status of the answer's first line; `read` is what was read of it already. */
        int status(InputStream in, String read) throws IOException {
            StringBuilder line = new StringBuilder(read);
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            String[] parts = line.toString().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP")) {
                return 0;
            }
            return Integer.parseInt(parts[1].trim());
        }

        void daemon(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
        }

        void stop() {
            for (ServerSocket s : servers) {
                close(s);
            }
            synchronized (held) {
                held.forEach(Soak::close);
            }
        }
    }

    static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing at the end
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String truncate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) : s;
    }

    static void log(String text) {
        System.err.println(java.time.LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + text);
    }

    // ----------------------------------------------------------------------------------------------------

    /** Statuses and latencies per operation. */
    static final class Stats {
        final Map<String, Map<Integer, AtomicLong>> statuses = new ConcurrentHashMap<>();
        final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> retries = new ConcurrentHashMap<>();
        final AtomicLong inFlight = new AtomicLong();

        void started() {
            inFlight.incrementAndGet();
        }

        void finished() {
            inFlight.decrementAndGet();
        }

        void count(String what, int status, long nanos) {
            statuses.computeIfAbsent(what, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
            if (status >= 200 && status < 300 && nanos > 0) {
                latencies.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>()).add(nanos);
            }
        }

        void error(String what) {
            errors.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        }

        void retried(String what) {
            retries.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        }

        void awaitIdle(int seconds) {
            for (int i = 0; i < seconds * 10 && inFlight.get() > 0; i++) {
                sleep(100);
            }
        }

        Map<String, Object> report(long elapsedNanos) {
            Map<String, Object> out = new LinkedHashMap<>();
            List<Long> all = new ArrayList<>();
            long ok = 0;
            long fivexx = 0;
            Map<String, Object> operations = new TreeMap<>();
            for (String what : new HashSet<>(statuses.keySet())) {
                Map<String, Object> op = new LinkedHashMap<>();
                Map<Integer, AtomicLong> byStatus = statuses.get(what);
                op.put("statuses", new TreeMap<>(byStatus));
                List<Long> l = new ArrayList<>(latencies.getOrDefault(what, new ConcurrentLinkedQueue<>()));
                Collections.sort(l);
                op.put("p50 ms", percentile(l, 50) / 1e6);
                op.put("p99 ms", percentile(l, 99) / 1e6);
                operations.put(what, op);
                all.addAll(l);
                for (Map.Entry<Integer, AtomicLong> e : byStatus.entrySet()) {
                    ok += e.getKey() >= 200 && e.getKey() < 300 ? e.getValue().get() : 0;
                    fivexx += e.getKey() >= 500 ? e.getValue().get() : 0;
                }
            }
            Collections.sort(all);
            out.put("2xx per second", ok / (elapsedNanos / 1e9));
            out.put("p50 ms", percentile(all, 50) / 1e6);
            out.put("p99 ms", percentile(all, 99) / 1e6);
            out.put("5xx", fivexx);
            out.put("transport errors", new TreeMap<>(errors));
            out.put("resent after a timeout, 429 or 503", new TreeMap<>(retries));
            out.put("operations", operations);
            return out;
        }

        static long percentile(List<Long> sorted, int p) {
            if (sorted.isEmpty()) {
                return 0;
            }
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }
    }

    /** Every write acknowledged with a 2xx, checked against the database at the end. */
    static final class Ledger {
        final Map<String, ConcurrentLinkedQueue<String>> acknowledged = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

        void add(String org, String kind, String key) {
            acknowledged.computeIfAbsent(org + "\t" + kind, k -> new ConcurrentLinkedQueue<>()).add(key);
        }

        void mismatch(String what) {
            mismatches.add(what);
        }

        void unexpected(String what) {
            unexpected.add(what);
        }

        Map<String, Object> check(String url) throws Exception {
            Map<String, Object> out = new LinkedHashMap<>();
            long checked = 0;
            List<String> missing = new ArrayList<>();
            List<String> doubled = new ArrayList<>();
            try (Connection db = DriverManager.getConnection(url, "harbour_owner", "harbour_owner")) {
                for (Map.Entry<String, ConcurrentLinkedQueue<String>> e : acknowledged.entrySet()) {
                    String[] orgKind = e.getKey().split("\t");
                    String org = orgKind[0];
                    try (PreparedStatement tenant = db.prepareStatement("SELECT set_config('harbour.org', ?, false)")) {
                        tenant.setString(1, org);
                        tenant.execute();
                    }
                    String sql = switch (orgKind[1]) {
                        case "incident" -> "SELECT external_ref, count(*) FROM incident WHERE external_ref = ANY (?) GROUP BY 1";
                        case "drug check" -> "SELECT external_ref, count(*) FROM drug_check_sample WHERE external_ref = ANY (?) GROUP BY 1";
                        case "note" -> "SELECT title, count(*) FROM note WHERE title = ANY (?) GROUP BY 1";
                        default -> "SELECT site_id || '/' || day || '=' || visits, count(*) FROM visit_day "
                                + "WHERE site_id || '/' || day || '=' || visits = ANY (?) GROUP BY 1";
                    };
                    List<String> keys = new ArrayList<>(e.getValue());
                    Map<String, Long> stored = new HashMap<>();
                    try (PreparedStatement q = db.prepareStatement(sql)) {
                        q.setArray(1, db.createArrayOf("text", keys.toArray()));
                        try (ResultSet rs = q.executeQuery()) {
                            while (rs.next()) {
                                stored.put(rs.getString(1), rs.getLong(2));
                            }
                        }
                    }
                    Set<String> distinct = new HashSet<>(keys);
                    for (String key : distinct) {
                        long n = stored.getOrDefault(key, 0L);
                        if (n == 0) {
                            missing.add(org + " " + orgKind[1] + " " + key);
                        } else if (n > 1) {
                            doubled.add(org + " " + orgKind[1] + " " + key + " x" + n);
                        }
                    }
                    checked += distinct.size();
                    out.put(org + " " + orgKind[1] + "s acknowledged", distinct.size());
                }
            }
            out.put("acknowledged writes checked", checked);
            out.put("missing", missing.size());
            out.put("stored more than once", doubled.size());
            out.put("examples", concat(missing.subList(0, Math.min(5, missing.size())), doubled.subList(0, Math.min(5, doubled.size()))));
            out.put("resends answered differently", new ArrayList<>(mismatches));
            List<String> odd = new ArrayList<>(unexpected);
            out.put("well-behaved requests answered other than expected", odd.size());
            out.put("unexpected answers, first 10", odd.subList(0, Math.min(10, odd.size())));
            return out;
        }
    }

    /** Client-credentials and password tokens of Keycloak, refreshed every four minutes (they live fifteen). */
    static final class Tokens {
        final HttpClient http;
        final String keycloak;
        final Map<String, String[]> cache = new ConcurrentHashMap<>();
        static final Pattern ACCESS = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

        Tokens(HttpClient http, String keycloak) {
            this.http = http;
            this.keycloak = keycloak;
        }

        String get(String realm, String client, String user) {
            String key = realm + "/" + client + "/" + user;
            String[] cached = cache.get(key);
            long now = System.currentTimeMillis();
            if (cached != null && now - Long.parseLong(cached[1]) < 240_000) {
                return cached[0];
            }
            synchronized (this) {
                cached = cache.get(key);
                if (cached != null && now - Long.parseLong(cached[1]) < 240_000) {
                    return cached[0];
                }
                String form = "client_id=" + client + "&client_secret=" + client + "-secret&grant_type="
                        + (user == null ? "client_credentials" : "password&username=" + enc(user) + "&password=" + enc(user));
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(keycloak + "/realms/" + realm
                            + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                    Matcher m = ACCESS.matcher(r.body());
                    if (!m.find()) {
                        throw new IllegalStateException("no token from " + realm + ": " + truncate(r.body()));
                    }
                    cache.put(key, new String[] {m.group(1), String.valueOf(now)});
                    return m.group(1);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("Keycloak: " + e, e);
                }
            }
        }

        static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** Just enough JSON out for the report (maps, lists, strings, numbers). */
    static final class Json {
        static String of(Object o) {
            if (o instanceof Map<?, ?> m) {
                StringBuilder b = new StringBuilder("{");
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(b.length() > 1 ? "," : "").append(of(String.valueOf(e.getKey()))).append(':').append(of(e.getValue()));
                }
                return b.append('}').toString();
            }
            if (o instanceof List<?> l) {
                StringBuilder b = new StringBuilder("[");
                for (Object v : l) {
                    b.append(b.length() > 1 ? "," : "").append(of(v));
                }
                return b.append(']').toString();
            }
            if (o instanceof Number || o instanceof Boolean) {
                return o instanceof Double d && (d.isNaN() || d.isInfinite()) ? "null" : String.valueOf(o);
            }
            String s = String.valueOf(o);
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
    }
}
