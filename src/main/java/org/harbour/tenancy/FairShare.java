package org.harbour.tenancy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.web.ProblemException;

/**
 * Each organization's share of the work that holds the database longest (imports, searches): at most so many
 * at once per organization and instance, the next one answered 429 with Retry-After, so that one member's
 * burst never takes what the others need. Keyed by verified organizations only, so the map cannot be grown
 * by what a caller sends.
 */
@ApplicationScoped
public class FairShare {

    public enum Work {
        IMPORT, SEARCH
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

    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    /** A permit for this work of this organization (or of the network's own callers), or a 429. */
    public Permit acquire(Work work, String org) {
        int limit = work == Work.IMPORT ? imports : searches;
        Semaphore semaphore = permits.computeIfAbsent(work + ":" + org, key -> new Semaphore(limit));
        if (!semaphore.tryAcquire()) {
            throw new ProblemException(429, "busy", work == Work.IMPORT ? "problem.busy.imports" : "problem.busy.searches", limit);
        }
        return semaphore::release;
    }
}
