package org.harbour.tenancy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.web.ProblemException;

/**
 * Each organization's share of the work that holds the database longest (imports, searches), of alert streams
 * and of requests in general: at most so many at once per organization and instance, the next one answered 429
 * with Retry-After, so that one member's burst never takes what the others need. Keyed by verified organizations only, so the map cannot be grown
 * by what a caller sends.
 */
@ApplicationScoped
public class FairShare {

    public enum Work {
        IMPORT("problem.busy.imports"), SEARCH("problem.busy.searches"), STREAM("problem.busy.streams"),
        /** Any other request of a member organization, from its verification to its answer's end. */
        REQUEST("problem.busy.requests");

        final String busy;

        Work(String busy) {
            this.busy = busy;
        }
    }

    /** On an operation that holds a share of its own for its whole length (imports, alert streams): no REQUEST permit besides. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
    public @interface OwnShare {
    }

    /** Given back when closed. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    @ConfigProperty(name = "harbour.fair-share.imports", defaultValue = "2")
    int imports;

    @ConfigProperty(name = "harbour.fair-share.searches", defaultValue = "4")
    int searches;

    @ConfigProperty(name = "harbour.fair-share.streams", defaultValue = "10")
    int streams;

    /**
     * Requests of one organization under way at once: past it, 429 at once rather than a place in the queue all
     * share (a burst its rate limit still allows would otherwise hold every connection of the pool).
     */
    @ConfigProperty(name = "harbour.fair-share.requests", defaultValue = "10")
    int requests;

    /** Imports of all organizations at once on this instance: each may spool up to 64 MB to disk. */
    @ConfigProperty(name = "harbour.fair-share.imports-per-instance", defaultValue = "16")
    int importsPerInstance;

    private Semaphore allImports;

    @jakarta.annotation.PostConstruct
    void start() {
        allImports = new Semaphore(importsPerInstance);
    }

    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    /** A permit for this work of this organization (or of the network's own callers), or a 429. */
    public Permit acquire(Work work, String org) {
        int limit = switch (work) {
            case IMPORT -> imports;
            case SEARCH -> searches;
            case STREAM -> streams;
            case REQUEST -> requests;
        };
        Semaphore semaphore = permits.computeIfAbsent(work + ":" + org, key -> new Semaphore(limit));
        if (!semaphore.tryAcquire()) {
            throw new ProblemException(429, "busy", work.busy, limit);
        }
        boolean instanceWide = work == Work.IMPORT;
        if (instanceWide && !allImports.tryAcquire()) {
            semaphore.release();
            throw new ProblemException(429, "busy", "problem.busy.instance");
        }
        // Given back once, however often closed (a stream's end may be told more than once).
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                semaphore.release();
                if (instanceWide) {
                    allImports.release();
                }
            }
        };
    }
}
