package org.harbour.drugcheck;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.cluster.ClusterNotice;
import org.harbour.cluster.ClusterNotices;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Network alerts: raised in the sample's own transaction (so a rolled-back sample raises nothing), each new
 * version left in the outbox ({@link AlertOutbox}), which tells the stream subscribers of every instance by a
 * {@link ClusterNotices.Channel#ALERT} notice once it has committed. The alert tables are network-wide and hold
 * counts only; distinct sites are counted through keyed hashes that never leave the database.
 */
@ApplicationScoped
public class NetworkAlerts {

    private static final Logger LOG = Logger.getLogger(NetworkAlerts.class);

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "harbour.alerts.site-key", defaultValue = "dev-only-site-key-change-me")
    String siteKey;

    private final BroadcastProcessor<AlertView> subscribers = BroadcastProcessor.create();

    public static String isoWeek(LocalDate date) {
        return String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** A sample's count in an alert, held back while a long transaction defers them. */
    private record Held(DrugCheckEnums.Substance substance, String province, String week, String org, UUID siteId) {
    }

    /** The counts held back by the long transaction running on this thread, if any. */
    private final ThreadLocal<List<Held>> held = new ThreadLocal<>();

    /**
     * From now on this thread's transaction holds its alert counts back until {@link #raiseHeld()}: a long
     * transaction (an atomic import) then locks the network-wide alert rows only for a moment before it
     * commits, not for its whole length, and a dry run ({@link #dropHeld()}) never locks them.
     */
    public void holdBack() {
        held.set(new ArrayList<>());
    }

    /** Counts what was held back, in one order for every transaction (no deadlock between two), and stops holding. */
    public void raiseHeld() {
        List<Held> counts = held.get();
        held.remove();
        if (counts == null) {
            return;
        }
        counts.sort(java.util.Comparator.comparing((Held h) -> h.substance().name()).thenComparing(Held::province)
                .thenComparing(Held::week));
        for (Held h : counts) {
            raise(List.of(h.substance()), h.province(), h.week(), h.org(), h.siteId());
        }
    }

    public void dropHeld() {
        held.remove();
    }

    /** Counts the sample in the alert of each substance, in the current transaction (or holds it back, see holdBack). */
    public List<AlertView> raise(Iterable<DrugCheckEnums.Substance> substances, String province, String week, String org,
            UUID siteId) {
        List<Held> holding = held.get();
        if (holding != null) {
            substances.forEach(s -> holding.add(new Held(s, province, week, org, siteId)));
            return List.of();
        }
        List<AlertView> alerts = new ArrayList<>();
        String site = siteKey(org, siteId);
        for (DrugCheckEnums.Substance substance : substances) {
            entityManager.createNativeQuery("INSERT INTO network_alert_site (substance, province, week, site_key) "
                    + "VALUES (:substance, :province, :week, :site) ON CONFLICT DO NOTHING")
                    .setParameter("substance", substance.name()).setParameter("province", province)
                    .setParameter("week", week).setParameter("site", site).executeUpdate();
            Object[] row = (Object[]) entityManager.createNativeQuery("""
                    INSERT INTO network_alert AS a (substance, province, week, samples, sites, first_seen, last_seen)
                    VALUES (:substance, :province, :week, 1, 1, now(), now())
                    ON CONFLICT (substance, province, week) DO UPDATE SET samples = a.samples + 1,
                        sites = (SELECT count(*) FROM network_alert_site s WHERE s.substance = a.substance
                                 AND s.province = a.province AND s.week = a.week),
                        last_seen = now(), version = a.version + 1
                    RETURNING substance, province, week, samples, sites, first_seen, last_seen, version""")
                    .setParameter("substance", substance.name()).setParameter("province", province)
                    .setParameter("week", week).getSingleResult();
            AlertView alert = view(row);
            alerts.add(alert);
            entityManager.createNativeQuery("INSERT INTO alert_outbox (substance, province, week, version, payload) "
                    + "VALUES (:substance, :province, :week, :version, :payload)")
                    .setParameter("substance", alert.substance()).setParameter("province", alert.province())
                    .setParameter("week", alert.week()).setParameter("version", alert.version()).setParameter("payload", json(alert))
                    .executeUpdate();
        }
        return alerts;
    }

    /**
     * Alerts as they are committed, for as long as {@code stillAllowed} holds, asked every {@code checkEvery}:
     * a subscription ends when its token expires or its organization is suspended. A subscriber that does
     * not keep up misses alerts rather than holding others up; GET /alerts has them all.
     */
    public Multi<AlertView> stream(java.util.function.BooleanSupplier stillAllowed, java.time.Duration checkEvery) {
        // The check runs here, on the checker's thread, before the merge: it may read the registry, which blocks.
        Multi<AlertView> checks = Multi.createFrom().ticks().onExecutor(checker).every(checkEvery).onOverflow().drop()
                .map(tick -> stillAllowed.getAsBoolean() ? CHECK : STOP);
        return Multi.createBy().merging().streams(subscribers.onOverflow().drop(), checks)
                .select().first(item -> item != STOP)
                .select().where(item -> item != CHECK);
    }

    /** Runs the checks of every open stream; a check may read the registry, which blocks, so not on an I/O thread. */
    private final java.util.concurrent.ScheduledExecutorService checker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alert-stream-checks");
        t.setDaemon(true);
        return t;
    });

    @jakarta.annotation.PreDestroy
    void stop() {
        checker.shutdownNow();
    }

    /** Not an alert: the moment to check whether a subscription may go on. */
    private static final AlertView CHECK = new AlertView(null, null, null, 0, 0, null, null, -1);
    /** Not an alert: the subscription may not go on. */
    private static final AlertView STOP = new AlertView(null, null, null, 0, 0, null, null, -2);

    /** An alert committed on some instance, this one included: each subscriber here gets it once. */
    void noticed(@Observes ClusterNotice notice) {
        if (notice.channel() != ClusterNotices.Channel.ALERT) {
            return;
        }
        AlertView alert;
        try {
            alert = json.readValue(notice.payload(), AlertView.class);
        } catch (java.io.IOException | RuntimeException notAnAlert) {
            LOG.warnf("A notice on the alert channel was not an alert: %s", notAnAlert.getMessage());
            return;
        }
        subscribers.onNext(alert);
    }

    private String json(AlertView alert) {
        try {
            return json.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static AlertView view(Object[] r) {
        return new AlertView((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(), ((Number) r[4]).intValue(),
                instant(r[5]), instant(r[6]), ((Number) r[7]).longValue());
    }

    static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        return ((java.time.OffsetDateTime) value).toInstant();
    }

    private String siteKey(String org, UUID siteId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(siteKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((org + "/" + siteId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
