package org.harbour.tenancy;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheResult;

/**
 * What authentication needs to know of an organization, cached: every tenant request looks it up.
 * Writes evict the entry; the cache also expires (application.properties) so that other instances
 * see a change within that delay.
 */
@ApplicationScoped
public class OrganizationRegistry {

    public static final String CACHE = "organization-registry";

    public record Entry(String slug, String issuer, String audience, OrganizationStatus status, long version) {
        public boolean active() {
            return status == OrganizationStatus.ACTIVE;
        }
    }

    @CacheResult(cacheName = CACHE)
    @Transactional
    public Optional<Entry> find(String slug) {
        return Organization.<Organization> findByIdOptional(slug)
                .map(o -> new Entry(o.slug, o.issuer, o.audience, o.status, o.version));
    }

    @CacheInvalidate(cacheName = CACHE)
    public void evict(String slug) {
        // the annotation does the work
    }
}
