package org.harbour.drugcheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.cluster.ClusterNotices;
import org.harbour.tenancy.TenantScope;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Takes the alerts committed by samples out of {@code alert_outbox}, on whichever instance gets there first
 * (FOR UPDATE SKIP LOCKED), a few times a second: the newest version of each alert is handed to
 * {@link AlertsCommitted} observers in the same transaction (webhook deliveries) and told to every instance's
 * stream subscribers by a {@link ClusterNotices.Channel#ALERT} notice. A member's own transaction sends no
 * notice (PostgreSQL serializes the commits of transactions that do), and a burst of samples (an import) is
 * told as the alerts stand, not once per sample.
 */
@ApplicationScoped
public class AlertOutbox {

    private static final Logger LOG = Logger.getLogger(AlertOutbox.class);

    @Inject
    EntityManager entityManager;
    @Inject
    ClusterNotices notices;
    @Inject
    Event<AlertsCommitted> committed;

    @ConfigProperty(name = "harbour.alerts.outbox-every", defaultValue = "PT0.25S")
    Duration every;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-outbox");
        t.setDaemon(true);
        return t;
    });
    private volatile long quietUntil;

    void start(@Observes StartupEvent started) {
        timer.scheduleWithFixedDelay(this::drain, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private void drain() {
        try {
            while (take() > 0) {
                // more may be waiting
            }
        } catch (RuntimeException e) {
            // The database away (a failover): said once a minute, not four times a second.
            if (System.currentTimeMillis() > quietUntil) {
                quietUntil = System.currentTimeMillis() + 60_000;
                LOG.warnf("Alerts could not be taken from the outbox (tried again every %d ms): %s", every.toMillis(), e.getMessage());
            }
        }
    }

    /**
     * Takes the alerts of the 200 oldest rows, with every other waiting version of those alerts (an import leaves one
     * per sample: each alert is told once, as it stands, not once per batch), all in one transaction; how many rows
     * it took.
     */
    int take() {
        return TenantScope.network(() -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("""
                    DELETE FROM alert_outbox o WHERE (o.substance, o.province, o.week) IN (
                        SELECT substance, province, week FROM (
                            SELECT substance, province, week FROM alert_outbox ORDER BY queued_at LIMIT 200
                               FOR UPDATE SKIP LOCKED) oldest)
                    RETURNING o.substance, o.province, o.week, o.version, o.payload""").getResultList();
            Map<String, Object[]> newest = new LinkedHashMap<>();
            for (Object[] row : rows) {
                newest.merge(row[0] + "|" + row[1] + "|" + row[2], row,
                        (held, other) -> ((Number) other[3]).longValue() > ((Number) held[3]).longValue() ? other : held);
            }
            List<String> alerts = new ArrayList<>();
            for (Object[] row : newest.values()) {
                alerts.add((String) row[4]);
                notices.publish(ClusterNotices.Channel.ALERT, (String) row[4]);
            }
            if (!alerts.isEmpty()) {
                committed.fire(new AlertsCommitted(List.copyOf(alerts)));
            }
            return rows.size();
        }));
    }
}
