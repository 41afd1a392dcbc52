package org.harbour.web;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Token buckets, per minute, refilled continuously: per organization, per client of an organization (its
 * azp, else its subject), and per source address for refused tokens. Buckets live in a bounded map that
 * forgets idle ones, since some keys (addresses) are the caller's choice. Per instance: behind a load
 * balancer of n instances a caller gets up to n times the figure.
 */
@ApplicationScoped
public class RateLimits {

    /** What a request was told: the figures of the bucket closest to its limit. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds) {
    }

    /** The network realm's callers: not a slug (slugs start with a letter), so no organization can share its buckets. */
    public static final String NETWORK = "~network";

    @ConfigProperty(name = "harbour.rate-limit.organization.per-minute", defaultValue = "6000")
    long perOrganization;

    @ConfigProperty(name = "harbour.rate-limit.client.per-minute", defaultValue = "3000")
    long perClient;

    @ConfigProperty(name = "harbour.rate-limit.refused-tokens.per-minute", defaultValue = "60")
    long refusedTokensPerAddress;

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** Organizations one of whose clients was refused lately: only their requests have a client's bucket to look at early. */
    private final Cache<String, Boolean> clientRefused = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    /** Takes one request from the organization's bucket and the client's; refused if either is empty. */
    public Decision take(String organization, String client) {
        Decision org = take("org:" + organization, organizationLimit(organization));
        if (!org.allowed()) {
            return org;
        }
        Decision own = take("client:" + organization + ":" + bounded(client), perClient);
        if (!own.allowed()) {
            clientRefused.put(organization, Boolean.TRUE);
        }
        return !own.allowed() || own.remaining() < org.remaining() ? own : org;
    }

    /** Whether this address has used up its refused tokens; then it is answered 429 until the bucket refills. */
    public Optional<Decision> refusedTooOften(String address) {
        return empty("address:" + address, () -> refusedTokensPerAddress);
    }

    /**
     * Whether the organization's bucket, or the bucket of the client a token names, is empty already: such a request
     * would be refused once verified, so it is refused before (verifying a token costs more than the refusal, and a
     * client far past its limit must not cost the others much). Nothing taken: a token that names another's client,
     * forged or not, cannot spend that client's share, only be told it is spent. The client is read from the token
     * only for an organization one of whose clients was refused in the last minute.
     */
    public Optional<Decision> spent(String organization, java.util.function.Supplier<String> client) {
        Optional<Decision> org = empty("org:" + organization, () -> organizationLimit(organization));
        if (org.isPresent() || clientRefused.getIfPresent(organization) == null) {
            return org;
        }
        String named = client.get();
        return named == null ? Optional.empty() : empty("client:" + organization + ":" + bounded(named), () -> perClient);
    }

    /** A refusal when this bucket exists and is empty: looked up, never made, so keys a caller chooses keep nothing. */
    private Optional<Decision> empty(String key, java.util.function.LongSupplier perMinute) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return Optional.empty();
        }
        long limit = perMinute.getAsLong();
        return Optional.of(new Decision(false, limit, 0, Math.max(1, (long) Math.ceil(60.0 / limit))));
    }

    /** Counts a token refused (401) for this address. */
    public void refused(String address) {
        bucket("address:" + address, refusedTokensPerAddress).tryConsume(1);
    }

    /** An organization's own figure where one is set; one that is not a positive number is ignored, not a 500 for every request. */
    private long organizationLimit(String organization) {
        try {
            return ConfigProvider.getConfig()
                    .getOptionalValue("harbour.rate-limit.organization." + organization + ".per-minute", Long.class)
                    .filter(limit -> limit > 0).orElse(perOrganization);
        } catch (IllegalArgumentException notANumber) {
            return perOrganization;
        }
    }

    /** A client id as a key of bounded size: a member's identity provider chooses it. */
    private static String bounded(String client) {
        if (client.length() <= 64) {
            return client;
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(client.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Decision take(String key, long perMinute) {
        ConsumptionProbe probe = bucket(key, perMinute).tryConsumeAndReturnRemaining(1);
        long reset = probe.isConsumed() ? (long) Math.ceil(60.0 * (perMinute - probe.getRemainingTokens()) / perMinute)
                : TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1;
        return new Decision(probe.isConsumed(), perMinute, probe.getRemainingTokens(), reset);
    }

    private Bucket bucket(String key, long perMinute) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build());
    }
}
