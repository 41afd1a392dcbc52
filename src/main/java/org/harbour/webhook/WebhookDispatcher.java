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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.drugcheck.AlertView;
import org.harbour.tenancy.Organization;
import org.harbour.tenancy.TenantScope;
import org.harbour.web.ProblemException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Delivers network alerts to the webhooks of every organization. Each organization's deliveries are
 * recorded and attempted inside its own tenant scope; a failed attempt is retried with exponential
 * backoff up to a limit, each attempt recorded. A delivery carries the alert and nothing else.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String SIGNATURE_HEADER = "Harbour-Signature";

    @Inject
    ObjectMapper json;
    @Inject
    WebhookDestinations destinations;

    @ConfigProperty(name = "harbour.webhooks.max-attempts", defaultValue = "6")
    int maxAttempts;
    @ConfigProperty(name = "harbour.webhooks.backoff", defaultValue = "PT2S")
    Duration backoff;

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "webhook-delivery");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    void alertCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertView alert) {
        executor.execute(logged(() -> fanOut(alert)));
    }

    /** A scheduled task's exception would vanish in its Future: say it. */
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
        executor.schedule(logged(() -> {
            for (String org : organizations()) {
                List<UUID> pending = TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(
                        () -> WebhookDelivery.<WebhookDelivery> list("status", WebhookDelivery.Status.PENDING).stream()
                                .map(d -> d.id).toList()));
                pending.forEach(id -> executor.execute(logged(() -> attempt(org, id))));
            }
        }), 5, TimeUnit.SECONDS);
    }

    private List<String> organizations() {
        return TenantScope.network(() -> QuarkusTransaction.requiringNew()
                .call(() -> Organization.<Organization> listAll().stream().map(o -> o.slug).toList()));
    }

    private void fanOut(AlertView alert) {
        String payload;
        try {
            payload = json.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            LOG.error("Alert not serializable", e);
            return;
        }
        for (String org : organizations()) {
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
                created.forEach(id -> executor.execute(logged(() -> attempt(org, id))));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not record the alert's deliveries for %s", org);
            }
        }
    }

    private void attempt(String org, UUID deliveryId) {
        try {
            Instant retryAt = TenantScope.call(org, () -> QuarkusTransaction.requiringNew().call(() -> {
                WebhookDelivery d = WebhookDelivery.findById(deliveryId);
                if (d == null || d.status != WebhookDelivery.Status.PENDING) {
                    return null;
                }
                Webhook hook = Webhook.findById(d.webhookId);
                d.attempts++;
                try {
                    URI target = destinations.check(hook.url);
                    long timestamp = Instant.now().getEpochSecond();
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("Harbour-Event", d.event)
                            .header("Harbour-Delivery", d.id.toString())
                            .header(SIGNATURE_HEADER, "t=" + timestamp + ",v1=" + sign(hook.secret, timestamp, d.payload))
                            .POST(HttpRequest.BodyPublishers.ofString(d.payload)).build(), HttpResponse.BodyHandlers.discarding());
                    d.lastStatusCode = response.statusCode();
                    d.lastError = null;
                    if (response.statusCode() >= 200 && response.statusCode() < 300) {
                        d.status = WebhookDelivery.Status.DELIVERED;
                        d.deliveredAt = Instant.now();
                        d.nextAttemptAt = null;
                        return null;
                    }
                } catch (ProblemException refused) {
                    d.lastError = "destination refused: not a public https address";
                } catch (Exception e) {
                    d.lastError = e.getClass().getSimpleName();
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (d.attempts >= maxAttempts) {
                    d.status = WebhookDelivery.Status.FAILED;
                    d.nextAttemptAt = null;
                    return null;
                }
                d.nextAttemptAt = Instant.now().plus(backoff.multipliedBy(1L << (d.attempts - 1)));
                return d.nextAttemptAt;
            }));
            if (retryAt != null) {
                executor.schedule(logged(() -> attempt(org, deliveryId)), Duration.between(Instant.now(), retryAt).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Webhook delivery %s of %s could not be attempted", deliveryId, org);
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
        executor.shutdownNow();
    }
}
