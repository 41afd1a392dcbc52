package org.harbour.tenancy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What authentication needs to know of the organizations: every request looks one up, by the slug of
 * its path or (on shared network paths) by the issuer of its token, both of which a caller chooses.
 * So the registry is held whole, as one snapshot of every organization, and never grows with what
 * callers send: an unknown slug or issuer is simply absent from it. The snapshot is dropped by a
 * change on this instance and is never older than {@code harbour.registry.max-age} on any instance,
 * which is how long a change made elsewhere takes to reach this one.
 */
@ApplicationScoped
public class OrganizationRegistry {

    public record Entry(String slug, String issuer, String audience, OrganizationStatus status, long version) {
        public boolean active() {
            return status == OrganizationStatus.ACTIVE;
        }
    }

    private record Snapshot(Map<String, Entry> bySlug, Map<String, Entry> byIssuer, long loadedAt) {
    }

    @ConfigProperty(name = "harbour.registry.max-age", defaultValue = "10S")
    Duration maxAge;

    /** Written only under this object's lock, so that an eviction cannot interleave with a load. */
    private volatile Snapshot snapshot;
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

    /** Called after a change has committed on this instance. */
    public synchronized void evict(String slug) {
        snapshot = null;
    }

    /** How many organizations the snapshot holds (what a caller cannot make grow). */
    int size() {
        return current().bySlug().size();
    }

    private Snapshot fresh() {
        Snapshot current = snapshot;
        return current != null && System.nanoTime() - current.loadedAt() < maxAge.toNanos() ? current : null;
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
        if (stale != null && !reloading.compareAndSet(false, true)) {
            return stale;
        }
        try {
            synchronized (this) {
                current = fresh();
                if (current != null) {
                    return current;
                }
                try {
                    snapshot = load();
                } catch (RuntimeException failed) {
                    if (snapshot == null) {
                        throw failed;
                    }
                }
                return snapshot;
            }
        } finally {
            if (stale != null) {
                reloading.set(false);
            }
        }
    }

    private static Snapshot load() {
        long startedAt = System.nanoTime();
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, Entry> bySlug = new HashMap<>();
            Map<String, Entry> byIssuer = new HashMap<>();
            for (Organization o : Organization.<Organization> listAll()) {
                Entry entry = new Entry(o.slug, o.issuer, o.audience, o.status, o.version);
                bySlug.put(o.slug, entry);
                byIssuer.put(o.issuer, entry);
            }
            return new Snapshot(Map.copyOf(bySlug), Map.copyOf(byIssuer), startedAt);
        });
    }
}
