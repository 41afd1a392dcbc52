package org.harbour.tenancy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.harbour.cluster.ClusterNotice;
import org.harbour.cluster.ClusterNotices;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What authentication needs to know of the organizations: every request looks one up, by the slug of
 * its path or (on shared network paths) by the issuer of its token, both of which a caller chooses.
 * So the registry is held whole, as one snapshot of every organization, and never grows with what
 * callers send: an unknown slug or issuer is simply absent from it. A change committed on any instance
 * drops the snapshot on every instance as its {@link ClusterNotices.Channel#REGISTRY} notice arrives
 * (milliseconds); {@code harbour.registry.max-age} bounds its age when notices cannot arrive.
 */
@ApplicationScoped
public class OrganizationRegistry {

    public record Entry(String slug, String issuer, String audience, OrganizationStatus status, long version) {
        public boolean active() {
            return status == OrganizationStatus.ACTIVE;
        }
    }

    /** The registry as it stood at {@code generation}: stale as soon as an eviction moves the generation on. */
    private record Snapshot(Map<String, Entry> bySlug, Map<String, Entry> byIssuer, long loadedAt, long generation) {
    }

    @ConfigProperty(name = "harbour.registry.max-age", defaultValue = "10S")
    Duration maxAge;

    /** Written only under this object's lock; an eviction only moves the generation on, so it never waits for a load. */
    private volatile Snapshot snapshot;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /** Whether a thread is reloading a snapshot that only grew old. */
    private final java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The entry from a fresh snapshot, without blocking: most requests are answered from here, on the
     * event loop, with no transaction. Null when the snapshot must be (re)loaded first.
     */
    public Optional<Entry> cached(String slug) {
        Snapshot current = fresh();
        return current == null ? null : Optional.ofNullable(current.bySlug().get(slug));
    }

    /** Blocking: loads the snapshot if it is absent or too old. */
    public Optional<Entry> find(String slug) {
        return Optional.ofNullable(current().bySlug().get(slug));
    }

    /** The organization whose tokens this issuer signs, if any: issuers are unique in the registry. */
    public Optional<Entry> findByIssuer(String issuer) {
        return Optional.ofNullable(current().byIssuer().get(issuer));
    }

    /** Called after a change has committed on this instance (its notice drops the snapshot again, harmlessly). */
    public void evict(String slug) {
        generation.incrementAndGet();
    }

    /**
     * A change committed on some instance, or the notices' connection back after a break (changes may have been
     * missed meanwhile): on the listener's thread, so only a counter moves.
     */
    void noticed(@jakarta.enterprise.event.Observes ClusterNotice notice) {
        if (notice.channel() == ClusterNotices.Channel.REGISTRY || notice.channel() == ClusterNotices.Channel.RESYNC) {
            evict(notice.payload());
        }
    }

    /** The slugs of the active organizations (blocking: may load the snapshot). */
    public java.util.List<String> activeSlugs() {
        return current().bySlug().values().stream().filter(Entry::active).map(Entry::slug).toList();
    }

    /** How many organizations the snapshot holds (what a caller cannot make grow). */
    int size() {
        return current().bySlug().size();
    }

    private Snapshot fresh() {
        Snapshot current = snapshot;
        return current != null && current.generation() == generation.get()
                && System.nanoTime() - current.loadedAt() < maxAge.toNanos() ? current : null;
    }

    /**
     * A fresh snapshot, loaded if need be. When only age made it stale, one thread reloads it while the others go
     * on with the old one (and so does everyone if the reload fails: the database is then down for them anyway);
     * after an eviction, every caller waits for the new one.
     */
    private Snapshot current() {
        Snapshot current = fresh();
        if (current != null) {
            return current;
        }
        Snapshot stale = snapshot;
        boolean onlyOld = stale != null && stale.generation() == generation.get();
        if (!onlyOld) {
            stale = null;
        } else if (!reloading.compareAndSet(false, true)) {
            return stale;
        }
        try {
            synchronized (this) {
                current = fresh();
                if (current != null) {
                    return current;
                }
                try {
                    snapshot = load(generation.get());
                } catch (RuntimeException failed) {
                    if (stale == null) {
                        throw failed;
                    }
                    return stale;
                }
                return snapshot;
            }
        } finally {
            if (stale != null) {
                reloading.set(false);
            }
        }
    }

    /** Read after the generation it is stamped with: a change evicted after that point makes it stale at once. */
    private static Snapshot load(long generation) {
        // Background work (webhook sweeps, stream checks) reads the registry outside any request: in network scope.
        if (!io.quarkus.arc.Arc.container().requestContext().isActive()) {
            return TenantScope.network(() -> load(generation));
        }
        long startedAt = System.nanoTime();
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Entry> bySlug = new HashMap<>();
            Map<String, Entry> byIssuer = new HashMap<>();
            for (Organization o : Organization.<Organization> listAll()) {
                Entry entry = new Entry(o.slug, o.issuer, o.audience, o.status, o.version);
                bySlug.put(o.slug, entry);
                byIssuer.put(o.issuer, entry);
            }
            return new Snapshot(Map.copyOf(bySlug), Map.copyOf(byIssuer), startedAt, generation);
        });
    }
}
