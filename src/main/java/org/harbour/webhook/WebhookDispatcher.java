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
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.cluster.ClusterNotice;
import org.harbour.cluster.ClusterNotices;
import org.harbour.drugcheck.AlertsCommitted;
import org.harbour.tenancy.Organization;
import org.harbour.tenancy.OrganizationRegistry;
import org.harbour.tenancy.OrganizationStatus;
import org.harbour.tenancy.TenantScope;
import org.harbour.web.ProblemException;
import org.jboss.logging.Logger;


import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers network alerts to the webhooks of every active organization, from whichever instance is free:
 * the work lives in tables, never in one process. The deliveries of the alerts taken from the outbox are
 * recorded in the outbox's transaction ({@link AlertsCommitted}). A delivery is attempted under a lease
 * ({@code leased_until}, a call's deadline and a margin) that one instance claims with SKIP LOCKED and renews
 * just before its call; if that instance dies, the lease runs out and another instance attempts it. An outcome
 * is recorded only by the attempt that holds it, so none is counted twice. {@link ClusterNotices} wakes the
 * instances at once; a sweep every {@code sweep-every} finds what a lost notice or a dead instance left.
 *
 * <p>One organization's receivers cannot hold up another's: an organization has at most
 * {@code concurrency-per-org} calls in flight across all instances and {@code queue-per-org} deliveries
 * waiting (more are recorded FAILED), the threads are shared, and every call has a total deadline (the body
 * of the answer is never read, so a receiver that drips it holds nothing). No transaction is open during a
 * call. A receiver may see a delivery twice when an instance dies between the call and its record: the
 * Harbour-Delivery header names it, the same each time.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String SIGNATURE_HEADER = "Harbour-Signature";
    private static final String QUEUE_FULL = "queue full: too many deliveries waiting";

    @Inject
    WebhookDestinations destinations;
    @Inject
    OrganizationRegistry registry;
    @Inject
    EntityManager entityManager;
    @Inject
    ClusterNotices notices;

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
    @ConfigProperty(name = "harbour.webhooks.sweep-every", defaultValue = "PT5S")
    Duration sweepEvery;

    private ExecutorService calls;
    /** Only schedules: it never waits on anything. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-timer");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** Organizations whose claim is queued on this instance: wakes in between are one claim. */
    private final java.util.Set<String> claiming = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean sweepQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopping;

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
     * What a lost notice or a dead instance left: each active organization's due deliveries, every sweep-every;
     * a sweep not yet run is not queued again, and a database away is said once, not once per organization.
     */
    void sweep(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(() -> {
            if (sweepQueued.compareAndSet(false, true)) {
                execute(() -> {
                    try {
                        for (String org : registry.activeSlugs()) {
                            if (!claiming.contains(org)) {
                                claimAndAttempt(org);
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.warnf("Webhook sweep stopped (the next one tries again): %s", e.getMessage());
                    } finally {
                        sweepQueued.set(false);
                    }
                });
            }
        }, sweepEvery.toMillis(), sweepEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No new claims once the instance is stopping: what it has not claimed is left to the others. */
    void stopping(@Observes io.quarkus.runtime.ShutdownDelayInitiatedEvent stopping) {
        this.stopping = true;
    }

    /** An organization's deliveries due (its notice), or changed (suspended: what waits is failed at once). */
    void noticed(@Observes ClusterNotice notice) {
        if ((notice.channel() == ClusterNotices.Channel.WEBHOOK || notice.channel() == ClusterNotices.Channel.REGISTRY)
                && !notice.payload().isEmpty()) {
            wake(notice.payload());
        }
    }

    /**
     * In the outbox's transaction: each alert's deliveries for every active organization's webhooks, recorded with
     * the alerts' removal from the outbox, so none is lost or recorded twice; then each organization is woken.
     */
    void alertsCommitted(@Observes AlertsCommitted committed) {
        List<String> payloads = committed.alerts();
        List<String> organizations = Organization.<Organization> list("status", OrganizationStatus.ACTIVE).stream().map(o -> o.slug)
                .toList();
        for (String org : organizations) {
            // Row-level security sees one organization at a time, in this transaction only.
            entityManager.createNativeQuery("SELECT set_config('harbour.org', :org, true)").setParameter("org", org).getSingleResult();
            int recorded = 0;
            for (String payload : payloads) {
                recorded += entityManager.createNativeQuery("""
                        INSERT INTO webhook_delivery (org_id, id, webhook_id, event, payload, status, next_attempt_at, last_error)
                        SELECT w.org_id, gen_random_uuid(), w.id, 'alert', :payload,
                               CASE WHEN q.waiting < :cap THEN 'PENDING' ELSE 'FAILED' END,
                               CASE WHEN q.waiting < :cap THEN now() END,
                               CASE WHEN q.waiting < :cap THEN NULL ELSE :full END
                          FROM webhook w, (SELECT count(*) AS waiting FROM webhook_delivery WHERE status = 'PENDING') q""")
                        .setParameter("payload", payload).setParameter("cap", queuePerOrg).setParameter("full", QUEUE_FULL)
                        .executeUpdate();
            }
            if (recorded > 0) {
                notices.publish(ClusterNotices.Channel.WEBHOOK, org);
            }
        }
        entityManager.createNativeQuery("SELECT set_config('harbour.org', '', true)").getSingleResult();
    }

    /** Claims what the organization may attempt now, on a delivery thread; wakes in between are one claim. */
    private void wake(String org) {
        if (!stopping && claiming.add(org)) {
            execute(() -> {
                claiming.remove(org);
                try {
                    claimAndAttempt(org);
                } catch (RuntimeException e) {
                    LOG.warnf("Webhook deliveries of %s could not be claimed (the sweep tries again): %s", org, e.getMessage());
                }
            });
        }
    }

    /** What one attempt sends, as claimed: attempt is the claim's, which only it may record. */
    private record Claim(UUID id, String url, String event, String payload, String secret, int attempt) {
    }

    /** Claims and starts what the organization may attempt now; a failure to claim is the caller's to say. */
    private void claimAndAttempt(String org) {
        if (stopping) {
            return;
        }
        List<Claim> claims = claim(org);
        for (Claim claim : claims) {
            execute(() -> {
                try {
                    attempt(org, claim);
                } finally {
                    wake(org);
                }
            });
        }
    }

    private List<Claim> claim(String org) {
        if (!active(org)) {
            failSuspended(org);
            return List.of();
        }
        return TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> {
            // One claim of an organization at a time across instances, so that its concurrency holds across them.
            entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(:key))").setParameter("key", "harbour.webhooks:" + org)
                    .getSingleResult();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("""
                    UPDATE webhook_delivery d SET attempts = d.attempts + 1, leased_until = now() + make_interval(secs => :lease)
                      FROM webhook w
                     WHERE w.org_id = d.org_id AND w.id = d.webhook_id AND d.id IN (
                           SELECT id FROM webhook_delivery
                            WHERE status = 'PENDING' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
                            ORDER BY next_attempt_at
                            LIMIT greatest(0, :perOrg - (SELECT count(*) FROM webhook_delivery
                                                          WHERE status = 'PENDING' AND leased_until >= now()))
                              FOR UPDATE SKIP LOCKED)
                    RETURNING d.id, w.url, d.event, d.payload, w.secret, d.attempts""")
                    .setParameter("lease", lease()).setParameter("perOrg", concurrencyPerOrg)
                    .getResultList();
            return rows.stream().map(r -> new Claim((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    ((Number) r[5]).intValue())).toList();
        }));
    }

    private boolean active(String org) {
        return registry.find(org).filter(OrganizationRegistry.Entry::active).isPresent();
    }

    /** A suspended organization's deliveries still waiting end FAILED: it gets nothing, and nothing is left to retry. */
    private void failSuspended(String org) {
        TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                UPDATE webhook_delivery SET status = 'FAILED', last_error = 'organization suspended', next_attempt_at = NULL,
                       leased_until = NULL, version = version + 1
                 WHERE status = 'PENDING' AND (leased_until IS NULL OR leased_until < now())""").executeUpdate()));
    }

    private void attempt(String org, Claim call) {
        URI target;
        try {
            // Resolved now, outside any transaction: a slow DNS server holds no connection.
            target = destinations.check(call.url());
        } catch (ProblemException refused) {
            record(org, call, null, "destination refused: not a public https address");
            return;
        }
        // The claim may have waited for a thread: its lease is renewed for the call, or the call is not made
        // (the lease ran out and another instance may have it now), and an organization suspended meanwhile gets nothing.
        if (!active(org)) {
            record(org, call, null, "organization suspended");
            return;
        }
        if (!renew(org, call)) {
            return;
        }
        Integer status = null;
        String error = null;
        long timestamp = Instant.now().getEpochSecond();
        CompletableFuture<HttpResponse<Void>> sent = http.sendAsync(HttpRequest.newBuilder(target).timeout(deadline)
                .header("Content-Type", "application/json")
                .header("Harbour-Event", call.event())
                .header("Harbour-Delivery", call.id().toString())
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
            return; // shutting down: the lease runs out and another instance attempts it again
        }
        record(org, call, status, error);
    }

    private boolean renew(String org, Claim call) {
        return TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                UPDATE webhook_delivery SET leased_until = now() + make_interval(secs => :lease)
                 WHERE id = :id AND attempts = :attempt AND status = 'PENDING' AND leased_until > now()""")
                .setParameter("lease", lease()).setParameter("id", call.id()).setParameter("attempt", call.attempt())
                .executeUpdate())) == 1;
    }

    /** Seconds a claim holds a delivery: the call's deadline, and a margin to record its outcome. */
    private double lease() {
        return deadline.plusSeconds(5).toMillis() / 1000.0;
    }

    /**
     * Records an attempt's outcome, if its claim still holds the delivery (an attempt that outlived its lease
     * records nothing: the one that took over does); a failure before the last attempt is tried again later.
     */
    private void record(String org, Claim call, Integer status, String error) {
        boolean delivered = status != null && status >= 200 && status < 300;
        boolean last = delivered || call.attempt() >= maxAttempts || "organization suspended".equals(error);
        Duration retryIn = backoff.multipliedBy(1L << Math.min(20, call.attempt() - 1));
        try {
            int recorded = TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                    UPDATE webhook_delivery SET last_status_code = :status, last_error = :error, leased_until = NULL,
                           status = :outcome, delivered_at = CASE WHEN :delivered THEN now() END,
                           next_attempt_at = CASE WHEN :last THEN NULL ELSE now() + make_interval(secs => :retryIn) END,
                           version = version + 1
                     WHERE id = :id AND attempts = :attempt AND status = 'PENDING'""")
                    .unwrap(org.hibernate.query.NativeQuery.class)
                    .setParameter("status", status, Integer.class).setParameter("error", delivered ? null : error, String.class)
                    .setParameter("outcome", delivered ? "DELIVERED" : last ? "FAILED" : "PENDING").setParameter("delivered", delivered)
                    .setParameter("last", last).setParameter("retryIn", retryIn.toMillis() / 1000.0)
                    .setParameter("id", call.id()).setParameter("attempt", call.attempt()).executeUpdate()));
            if (recorded == 1 && !last) {
                timer.schedule(() -> wake(org), retryIn.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Webhook delivery %s of %s could not be recorded", call.id(), org);
        }
    }

    /** On a delivery thread, its failure said, not lost in a Future; nothing once shutting down. */
    private void execute(Runnable task) {
        try {
            calls.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Webhook work failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the instance is stopping: the tables keep the work for another
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

    /** Calls under way finish (within their deadline) and are recorded; whatever is left, another instance takes over. */
    @PreDestroy
    void stop() {
        stopping = true;
        timer.shutdownNow();
        calls.shutdown();
        try {
            calls.awaitTermination(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
    }
}
