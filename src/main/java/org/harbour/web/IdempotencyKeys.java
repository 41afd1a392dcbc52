package org.harbour.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.harbour.tenancy.TenantRequestFilter;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Idempotency-Key on POST (DESIGN.md): the first answer to a caller's key is kept for 24 hours and given
 * again, byte for byte, to a retry of the same request; the same key with another request is 422; a retry
 * that arrives while the first is still running is 409, so that racing duplicates make one record. Keys
 * belong to the caller (organization or network, and subject) and live in its organization's rows.
 * A claim is held 45 seconds until its answer is kept, so that a request that never finished, its instance killed,
 * frees its key soon (make chaos); a request that outlives its claim keeps or frees nothing of the claim that
 * replaced it (its created_at is the claim's token).
 * Answers a retry may change (5xx, 429, 409) or over 64 KiB are not kept: the retry runs again. Imports are left out:
 * every line of an import is already idempotent by its reference, and a report can run to megabytes.
 */
public class IdempotencyKeys {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
    public static final String HEADER = "Idempotency-Key";
    private static final String CLAIM = "harbour.idempotency";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** Bodies of the operations that take keys are small; a larger one is not read into memory to hash it. */
    private static final int MAX_BODY = 1024 * 1024;
    private static final int MAX_KEPT = 64 * 1024;
    /** The rows' owner: the transaction's organization, or the network's own callers (V18's policy says the same). */
    private static final String SCOPE = "coalesce(nullif(current_setting('harbour.org', true), ''), '-network-')";

    /** A key this request holds; claimedAt (the claim's created_at) tells its claim from a later one of the same key. */
    record Claim(String caller, String key, String claimedAt) {
    }

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    EntityManager entityManager;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "harbour.idempotency.ttl", defaultValue = "PT24H")
    Duration ttl;

    public static boolean appliesTo(String method, String path) {
        return "POST".equalsIgnoreCase(method) && path.startsWith("/v1/") && !path.matches(".*/imports/*");
    }

    /** After the tenant is set (TenantRequestFilter): the key is stored in the organization's rows. */
    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response claim(ContainerRequestContext request, RoutingContext routing) throws IOException {
        String key = request.getHeaderString(HEADER);
        if (key == null || !appliesTo(request.getMethod(), routing.normalizedPath())) {
            return null;
        }
        Locale locale = Messages.locale(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        if (!KEY.matcher(key).matches()) {
            return ProblemResponses.response(ProblemResponses.problem(locale, 400, "validation",
                    List.of(new Problem.FieldError(HEADER, Messages.get(locale, "field.idempotency-key"))), "problem.validation.detail"));
        }
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            return null; // the endpoint answers 401
        }
        byte[] body = request.getEntityStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            return ProblemResponses.response(ProblemResponses.problem(locale, 413, "too-large", List.of(), "problem.too-large.detail"));
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        String subject = identity.getPrincipal() instanceof org.eclipse.microprofile.jwt.JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject() : identity.getPrincipal().getName();
        String caller = TenantRequestFilter.orgOf(identity).orElse(RateLimits.NETWORK) + ":" + subject;
        byte[] hash = hash(request.getMethod() + " " + routing.request().uri() + "\n" + request.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
        Object outcome = QuarkusTransaction.requiringNew().call(() -> claimOrReplay(caller, key, hash, locale));
        if (outcome instanceof String claimedAt) {
            routing.put(CLAIM, new Claim(caller, key, claimedAt));
            return null;
        }
        return (Response) outcome;
    }

    /** The claim's time when this request holds the key now; else the answer to give instead of running it. */
    private Object claimOrReplay(String caller, String key, byte[] hash, Locale locale) {
        List<?> claimed = entityManager.createNativeQuery("""
                INSERT INTO idempotency_key (org_id, caller, key, request_hash, expires_at)
                VALUES (%s, :caller, :key, :hash,
                        now() + interval '45 seconds')
                ON CONFLICT (org_id, caller, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = NULL,
                    content_type = NULL, location = NULL, etag = NULL, body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
                WHERE idempotency_key.expires_at < now()
                RETURNING created_at::text""".formatted(SCOPE))
                .setParameter("caller", caller).setParameter("key", key).setParameter("hash", hash)
                .getResultList();
        if (!claimed.isEmpty()) {
            return claimed.get(0);
        }
        List<?> rows = entityManager.createNativeQuery("""
                SELECT request_hash, status, content_type, location, etag, body FROM idempotency_key
                WHERE org_id = %s AND caller = :caller AND key = :key""".formatted(SCOPE))
                .setParameter("caller", caller).setParameter("key", key).getResultList();
        if (rows.isEmpty()) {
            // Freed by the first request's failure between our insert and this read: the retry may try again.
            return ProblemResponses.response(ProblemResponses.problem(locale, 409, "idempotency-key-in-progress", List.of(),
                    "problem.idempotency-key-in-progress.detail"));
        }
        Object[] row = (Object[]) rows.get(0);
        if (!Arrays.equals((byte[]) row[0], hash)) {
            return ProblemResponses.response(ProblemResponses.problem(locale, 422, "idempotency-key-reused",
                    List.of(new Problem.FieldError(HEADER, Messages.get(locale, "field.idempotency-key-reused"))),
                    "problem.rule-violated.detail"));
        }
        if (row[1] == null) {
            return ProblemResponses.response(ProblemResponses.problem(locale, 409, "idempotency-key-in-progress", List.of(),
                    "problem.idempotency-key-in-progress.detail"));
        }
        Response.ResponseBuilder replay = Response.status(((Number) row[1]).intValue()).header("Idempotency-Replayed", "true");
        if (row[2] != null) {
            replay.type((String) row[2]);
        }
        if (row[3] != null) {
            replay.header(HttpHeaders.LOCATION, row[3]);
        }
        if (row[4] != null) {
            replay.header(HttpHeaders.ETAG, row[4]);
        }
        if (row[5] != null) {
            replay.entity(row[5]);
        }
        return replay.build();
    }

    /** Keeps the answer this request's key now stands for; an answer not decided by the request frees the key. */
    @ServerResponseFilter
    public void keep(ContainerResponseContext response, RoutingContext routing) {
        Claim claim = routing.get(CLAIM);
        if (claim == null) {
            return;
        }
        routing.remove(CLAIM);
        int status = response.getStatus();
        try {
            byte[] body = body(response.getEntity());
            QuarkusTransaction.requiringNew().run(() -> {
                // Not kept: what a retry may well change (a failure, a limit, a conflict with a concurrent write), and
                // answers too large to hold for a day (a request of 1 MiB can earn a long list of field errors).
                if (status >= 500 || status == 429 || status == 409 || body.length > MAX_KEPT) {
                    entityManager.createNativeQuery("DELETE FROM idempotency_key WHERE org_id = " + SCOPE
                            + " AND caller = :caller AND key = :key AND created_at = CAST(:claimedAt AS timestamptz)")
                            .setParameter("caller", claim.caller()).setParameter("key", claim.key())
                            .setParameter("claimedAt", claim.claimedAt()).executeUpdate();
                    return;
                }
                entityManager.createNativeQuery("""
                        UPDATE idempotency_key SET status = :status, content_type = :type, location = :location, etag = :etag,
                            body = :body, expires_at = now() + make_interval(secs => :ttl)
                        WHERE org_id = %s
                          AND caller = :caller AND key = :key AND created_at = CAST(:claimedAt AS timestamptz)""".formatted(SCOPE))
                        .setParameter("status", status)
                        .setParameter("type", response.getMediaType() == null ? null : response.getMediaType().toString())
                        .setParameter("location", response.getHeaderString(HttpHeaders.LOCATION))
                        .setParameter("etag", response.getHeaderString(HttpHeaders.ETAG))
                        .setParameter("body", body).setParameter("ttl", (double) ttl.toSeconds())
                        .setParameter("caller", claim.caller()).setParameter("key", claim.key())
                        .setParameter("claimedAt", claim.claimedAt())
                        .executeUpdate();
            });
        } catch (IOException | RuntimeException e) {
            // The answer goes out all the same; a retry with this key then meets 409 until the key expires.
            LOG.error("An idempotency key's answer could not be kept", e);
        }
    }

    private byte[] body(Object entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity instanceof byte[] bytes) {
            return bytes;
        }
        if (entity instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return json.writeValueAsBytes(entity);
    }

    /** Expired keys of every organization, hourly. */
    @Scheduled(every = "1h", delayed = "1m")
    void purge() {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("SELECT idempotency_key_purge()").getSingleResult());
    }

    private static byte[] hash(String head, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(head.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            return digest.digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
