package org.harbour.tenancy;

import java.util.Optional;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.cache.CacheResult;

/**
 * What authentication needs to know of an organization, cached: every tenant request looks it up.
 * Writes evict the entry; the cache also expires (application.properties) so that other instances
 * see a change within that delay.
 */
@ApplicationScoped
public class OrganizationRegistry {

    public static final String CACHE = "organization-registry";
    static final String BY_ISSUER = "organization-by-issuer";

    public record Entry(String slug, String issuer, String audience, OrganizationStatus status, long version) {
        public boolean active() {
            return status == OrganizationStatus.ACTIVE;
        }
    }

    @Inject
    @CacheName(CACHE)
    Cache cache;

    /**
     * The entry if the cache holds it already, without blocking: most requests are answered from here, on
     * the event loop, with no transaction and no hop to a worker thread. Null when it must be loaded.
     */
    @SuppressWarnings("unchecked")
    public Optional<Entry> cached(String slug) {
        CompletableFuture<Object> hit = cache.as(CaffeineCache.class).getIfPresent(slug);
        if (hit == null || !hit.isDone() || hit.isCompletedExceptionally()) {
            return null;
        }
        return (Optional<Entry>) hit.getNow(null);
    }

    @CacheResult(cacheName = CACHE)
    @Transactional
    public Optional<Entry> find(String slug) {
        return Organization.<Organization> findByIdOptional(slug)
                .map(o -> new Entry(o.slug, o.issuer, o.audience, o.status, o.version));
    }

    /** The organization whose tokens this issuer signs, if any: issuers are unique in the registry. */
    @CacheResult(cacheName = BY_ISSUER)
    @Transactional
    public Optional<Entry> findByIssuer(String issuer) {
        return Organization.<Organization> find("issuer", issuer).firstResultOptional()
                .map(o -> new Entry(o.slug, o.issuer, o.audience, o.status, o.version));
    }

    @CacheInvalidate(cacheName = CACHE)
    @CacheInvalidateAll(cacheName = BY_ISSUER)
    public void evict(String slug) {
        // the annotations do the work
    }
}
