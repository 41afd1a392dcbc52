package org.harbour.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.drugcheck.AlertView;
import org.harbour.tenancy.Organization;
import org.harbour.tenancy.OrganizationRegistry;
import org.harbour.tenancy.OrganizationStatus;
import org.harbour.tenancy.TenantScope;
import org.harbour.web.ProblemException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers network alerts to the webhooks of every active organization. Each organization's deliveries are
 * recorded and attempted inside its own tenant scope; a failed attempt is retried with exponential
 * backoff up to a limit, each attempt recorded. A delivery carries the alert and nothing else.
 *
 * <p>One organization's receivers cannot hold up another's: each organization has a lane with at most
 * {@code concurrency-per-org} calls in flight and {@code queue-per-org} waiting, the threads are shared
 * by the lanes, and every call has a total deadline (the body of the answer is never read, so a receiver
 * that drips it holds nothing). No transaction is open during a call.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String SIGNATURE_HEADER = "Harbour-Signature";

    @Inject
    ObjectMapper json;
    @Inject
    WebhookDestinations destinations;
    @Inject
    OrganizationRegistry registry;

    @ConfigProperty(name = "harbour.webhooks.max-attempts", defaultValue = "6")
    int maxAttempts;
    @ConfigProperty(name = "harbour.webhooks.backoff", defaultValue = "PT2S")
    Duration backoff;
    @ConfigProperty(name = "harbour.webhooks.deadline", defaultValue = "PT10S")
    Duration deadline;
    @ConfigProperty(name = "harbour.webhooks.threads", defaultValue = "8")
    int threads;
    @ConfigProperty(name = "harbour.webhooks.concurrency-per-org", defaultValue = "2")
    int concurrencyPerOrg;
    @ConfigProperty(name = "harbour.webhooks.queue-per-org", defaultValue = "1000")
    int queuePerOrg;

    private ExecutorService calls;
    /** Only moves due retries into their lanes: it never waits on anything. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** An organization's deliveries waiting for a thread, and how many of its calls are in flight. */
    private static final class Lane {
        final Deque<UUID> waiting = new ArrayDeque<>();
        int inFlight;
    }

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        calls = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "webhook-delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Alerts committed and not yet fanned out, by alert (substance, province, week), the newest version only: a
     * burst of samples (an import of thousands) updates a handful of alerts, and each is delivered once, as
     * it stands, rather than once per sample.
     */
    private final Map<String, AlertView> toFanOut = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean fanOutQueued = new java.util.concurrent.atomic.AtomicBoolean();

    void alertCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertView alert) {
        toFanOut.merge(alert.substance() + "|" + alert.province() + "|" + alert.week(), alert,
                (held, newer) -> newer.version() >= held.version() ? newer : held);
        if (fanOutQueued.compareAndSet(false, true)) {
            calls.execute(logged(this::fanOutHeld));
        }
    }

    private void fanOutHeld() {
        fanOutQueued.set(false);
        for (String key : List.copyOf(toFanOut.keySet())) {
            AlertView alert = toFanOut.remove(key);
            if (alert != null) {
                fanOut(alert);
            }
        }
    }

    /** A task's exception would vanish in its Future: say it. */
    private static Runnable logged(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Webhook work failed", e);
            }
        };
    }

    /** After a restart, what was still pending is attempted again. */
    void resume(@Observes StartupEvent started) {
        timer.schedule(() -> calls.execute(logged(() -> {
            for (String org : activeOrganizations()) {
                List<UUID> pending = TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(
                        () -> WebhookDelivery.<WebhookDelivery> list("status", WebhookDelivery.Status.PENDING).stream()
                                .map(d -> d.id).toList()));
                pending.forEach(id -> enqueue(org, id));
            }
        })), 5, TimeUnit.SECONDS);
    }

    private List<String> activeOrganizations() {
        return TenantScope.network(() -> QuarkusTransaction.requiringNew()
                .call(() -> Organization.<Organization> list("status", OrganizationStatus.ACTIVE).stream().map(o -> o.slug).toList()));
    }

    private boolean active(String org) {
        return registry.find(org).filter(OrganizationRegistry.Entry::active).isPresent();
    }

    private void fanOut(AlertView alert) {
        String payload;
        try {
            payload = json.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            LOG.error("Alert not serializable", e);
            return;
        }
        for (String org : activeOrganizations()) {
            try {
                List<UUID> created = TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> {
                    List<Webhook> hooks = Webhook.listAll();
                    return hooks.stream().map(hook -> {
                        WebhookDelivery d = new WebhookDelivery();
                        d.id = UUID.randomUUID();
                        d.webhookId = hook.id;
                        d.event = "alert";
                        d.payload = payload;
                        d.status = WebhookDelivery.Status.PENDING;
                        d.nextAttemptAt = Instant.now();
                        d.persist();
                        return d.id;
                    }).toList();
                }));
                created.forEach(id -> enqueue(org, id));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not record the alert's deliveries for %s", org);
            }
        }
    }

    /** Puts a delivery in its organization's lane; a full lane leaves it FAILED on record rather than grow. */
    private void enqueue(String org, UUID deliveryId) {
        Lane lane = lanes.computeIfAbsent(org, o -> new Lane());
        boolean full;
        synchronized (lane) {
            full = lane.waiting.size() >= queuePerOrg;
            if (!full) {
                lane.waiting.addLast(deliveryId);
            }
        }
        if (full) {
            calls.execute(logged(() -> record(org, deliveryId, null, "queue full: too many deliveries waiting", true)));
        } else {
            drain(org, lane);
        }
    }

    private void drain(String org, Lane lane) {
        while (true) {
            UUID next;
            synchronized (lane) {
                if (lane.inFlight >= concurrencyPerOrg || lane.waiting.isEmpty()) {
                    return;
                }
                next = lane.waiting.pollFirst();
                lane.inFlight++;
            }
            calls.execute(() -> {
                try {
                    logged(() -> attempt(org, next)).run();
                } finally {
                    synchronized (lane) {
                        lane.inFlight--;
                    }
                    drain(org, lane);
                }
            });
        }
    }

    /** What one attempt sends, read and counted in a transaction of its own before the call. */
    private record Call(String url, String event, String payload, String secret, int attempt) {
    }

    private void attempt(String org, UUID deliveryId) {
        if (!active(org)) {
            record(org, deliveryId, null, "organization suspended", true);
            return;
        }
        Call call;
        try {
            call = TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> {
                WebhookDelivery d = WebhookDelivery.findById(deliveryId);
                if (d == null || d.status != WebhookDelivery.Status.PENDING) {
                    return null;
                }
                Webhook hook = Webhook.findById(d.webhookId);
                d.attempts++;
                return new Call(hook.url, d.event, d.payload, hook.secret, d.attempts);
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Webhook delivery %s of %s could not be read", deliveryId, org);
            return;
        }
        if (call == null) {
            return;
        }
        URI target;
        try {
            // Resolved now, outside any transaction: a slow DNS server holds no connection.
            target = destinations.check(call.url());
        } catch (ProblemException refused) {
            record(org, deliveryId, null, "destination refused: not a public https address", call.attempt() >= maxAttempts);
            return;
        }
        Integer status = null;
        String error = null;
        long timestamp = Instant.now().getEpochSecond();
        CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(HttpRequest.newBuilder(target).timeout(deadline)
                .header("Content-Type", "application/json")
                .header("Harbour-Event", call.event())
                .header("Harbour-Delivery", deliveryId.toString())
                .header(SIGNATURE_HEADER, "t=" + timestamp + ",v1=" + sign(call.secret(), timestamp, call.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(call.payload())).build(), info -> new HeadersOnly());
        try {
            status = sent.get(deadline.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            sent.cancel(true);
            error = "no answer within " + deadline.toSeconds() + " s";
        } catch (ExecutionException e) {
            error = e.getCause() == null ? "ExecutionException" : e.getCause().getClass().getSimpleName();
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            error = "InterruptedException";
        }
        boolean delivered = status != null && status >= 200 && status < 300;
        Instant retryAt = record(org, deliveryId, status, delivered ? null : error, delivered || call.attempt() >= maxAttempts);
        if (retryAt != null) {
            timer.schedule(() -> enqueue(org, deliveryId), Math.max(0, Duration.between(Instant.now(), retryAt).toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Records an attempt's outcome; final means delivered (a 2xx) or failed for good. Returns when to try
     * again, or null.
     */
    private Instant record(String org, UUID deliveryId, Integer status, String error, boolean last) {
        try {
            return TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> {
                WebhookDelivery d = WebhookDelivery.findById(deliveryId);
                if (d == null || d.status != WebhookDelivery.Status.PENDING) {
                    return null;
                }
                d.lastStatusCode = status;
                d.lastError = error;
                if (status != null && status >= 200 && status < 300) {
                    d.status = WebhookDelivery.Status.DELIVERED;
                    d.deliveredAt = Instant.now();
                    d.nextAttemptAt = null;
                    return null;
                }
                if (last) {
                    d.status = WebhookDelivery.Status.FAILED;
                    d.nextAttemptAt = null;
                    return null;
                }
                d.nextAttemptAt = Instant.now().plus(backoff.multipliedBy(1L << Math.min(20, d.attempts - 1)));
                return d.nextAttemptAt;
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Webhook delivery %s of %s could not be recorded", deliveryId, org);
            return null;
        }
    }

    /** Takes the status and headers and stops there: the body is not read, so it cannot be dripped. */
    private static final class HeadersOnly implements HttpResponse.BodySubscriber<Void> {
        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            // never requested
        }

        @Override
        public void onError(Throwable throwable) {
            // the status is known already
        }

        @Override
        public void onComplete() {
            // nothing to do
        }
    }

    /** HMAC-SHA256 over "timestamp.body": the timestamp is signed too, so an old delivery cannot be replayed as new. */
    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        calls.shutdownNow();
    }
}
