package org.harbour.web;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.harbour.tenancy.FairShare;
import org.harbour.tenancy.TenantRequestFilter;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies {@link RateLimits} to /v1 (health, metrics and the contract are never limited): an address that
 * sent too many tokens that failed verification is answered 429 before any verification; a verified caller takes one request
 * from its organization's and its client's buckets; an anonymous one from its address's. Every limited answer
 * carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (IETF httpapi draft); a 429, Retry-After.
 */
@ApplicationScoped
public class RateLimitFilters {

    private static final String DECISION = "harbour.rate-limit";

    @Inject
    RateLimits limits;

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    FairShare fairShare;

    void register(@Observes Router router) {
        router.route("/v1/*").order(Integer.MIN_VALUE + 2).handler(ctx -> {
            String address = address(ctx);
            var blocked = limits.refusedTooOften(address);
            if (blocked.isPresent()) {
                refuse(ctx, blocked.get(), "problem.too-many-requests.refused-tokens");
                return;
            }
            var spent = spentBeforeVerification(ctx);
            if (spent.isPresent()) {
                refuse(ctx, spent.get(), "problem.too-many-requests.detail");
                return;
            }
            // A protected operation refuses a bad token (401) before the filters below run: counted here, as it ends.
            // Only a token sent counts: a request without one (which a page can make a browser send) costs no
            // verification, and would otherwise let anyone hold off every client behind the same address.
            boolean tokenSent = ctx.request().getHeader(HttpHeaders.AUTHORIZATION) != null;
            ctx.addHeadersEndHandler(ended -> {
                if (tokenSent && ctx.response().getStatusCode() == 401) {
                    limits.refused(address);
                }
            });
            ctx.next();
        });
    }

    private static void refuse(RoutingContext ctx, RateLimits.Decision decision, String detailKey) {
        Problem problem = ProblemResponses.problem(Messages.locale(ctx.request().getHeader("Accept-Language")), 429,
                "too-many-requests", List.of(), detailKey);
        ctx.response().setStatusCode(429).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Retry-After", String.valueOf(decision.resetSeconds()))
                .putHeader("RateLimit-Limit", String.valueOf(decision.limit())).putHeader("RateLimit-Remaining", "0")
                .putHeader("RateLimit-Reset", String.valueOf(decision.resetSeconds())).end(Json.encode(problem));
    }

    /**
     * For a tenant path, whether its organization's bucket, or that of the client its token names (unverified), is
     * spent: see {@link RateLimits#spent}. The token is read, not trusted; one that cannot be read names no client.
     */
    private java.util.Optional<RateLimits.Decision> spentBeforeVerification(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!path.startsWith(ORGS)) {
            return java.util.Optional.empty();
        }
        int end = path.indexOf('/', ORGS.length());
        String organization = path.substring(ORGS.length(), end < 0 ? path.length() : end);
        return limits.spent(organization, () -> unverifiedClient(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)));
    }

    private static final String ORGS = "/v1/orgs/";

    private static String unverifiedClient(String authorization) {
        if (authorization == null || authorization.length() > org.harbour.tenancy.OrganizationTenantConfigResolver.MAX_TOKEN_CHARS || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String[] parts = authorization.substring(7).trim().split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            Object azp = new io.vertx.core.json.JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                    java.nio.charset.StandardCharsets.UTF_8)).getValue("azp");
            return azp instanceof String client ? client : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    @ServerRequestFilter
    public Uni<Response> limit(RoutingContext routing, HttpHeaders headers, jakarta.ws.rs.container.ResourceInfo resource) {
        if (!routing.normalizedPath().startsWith("/v1/")) {
            return Uni.createFrom().nullItem();
        }
        // Reached with a token that failed verification only where no token is needed (elsewhere the answer is 401,
        // counted as it ends): the token counts as anonymous, and as a refused token of its address, so that verifying
        // bad ones stays bounded there too. An identity provider that cannot be reached is not the caller's doing.
        boolean tokenSent = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        java.util.concurrent.atomic.AtomicBoolean providerDown = new java.util.concurrent.atomic.AtomicBoolean();
        Uni<SecurityIdentity> verified = identities.getDeferredIdentity()
                .onFailure(RateLimitFilters::unreachableProvider).invoke(down -> providerDown.set(true))
                .onFailure().recoverWithNull();
        return verified.map(identity -> {
            if (tokenSent && !providerDown.get() && (identity == null || identity.isAnonymous())) {
                limits.refused(address(routing));
            }
            RateLimits.Decision decision = decide(identity, routing);
            routing.put(DECISION, decision);
            Locale locale = Messages.locale(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
            if (decision.allowed()) {
                return shareOf(identity, routing, resource, locale);
            }
            Response refused = ProblemResponses.response(ProblemResponses.problem(locale, 429, "too-many-requests", List.of(),
                    "problem.too-many-requests.detail"));
            Response.ResponseBuilder builder = Response.fromResponse(refused).header("Retry-After", null)
                    .header("Retry-After", String.valueOf(decision.resetSeconds()));
            return withHeaders(builder, decision).build();
        });
    }

    /**
     * A member organization's request takes one of its {@link FairShare.Work#REQUEST} permits until the exchange ends
     * (answered, failed or cut), unless its operation has a share of its own ({@link FairShare.OwnShare}). Null when
     * under way.
     */
    private Response shareOf(SecurityIdentity identity, RoutingContext routing, jakarta.ws.rs.container.ResourceInfo resource,
            Locale locale) {
        var organization = identity == null ? java.util.Optional.<String>empty() : TenantRequestFilter.orgOf(identity);
        java.lang.reflect.Method operation = resource.getResourceMethod();
        if (organization.isEmpty() || operation != null && operation.isAnnotationPresent(FairShare.OwnShare.class)) {
            return null;
        }
        try {
            FairShare.Permit permit = fairShare.acquire(FairShare.Work.REQUEST, organization.get());
            routing.addEndHandler(ended -> permit.close());
            // A request that waited for a worker while its client went away: its connection closed before the handler
            // above was added, which then never runs. Closing a permit twice is harmless.
            if (routing.response().closed() || routing.response().ended()) {
                permit.close();
            }
            return null;
        } catch (ProblemException busy) {
            return ProblemResponses.response(ProblemResponses.problem(locale, busy));
        }
    }

    @ServerResponseFilter
    public void headers(ContainerResponseContext response, RoutingContext routing) {
        RateLimits.Decision decision = routing.get(DECISION);
        if (decision != null && decision.allowed()) {
            response.getHeaders().putSingle("RateLimit-Limit", String.valueOf(decision.limit()));
            response.getHeaders().putSingle("RateLimit-Remaining", String.valueOf(decision.remaining()));
            response.getHeaders().putSingle("RateLimit-Reset", String.valueOf(decision.resetSeconds()));
        }
    }

    private static boolean unreachableProvider(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.quarkus.oidc.OIDCException) {
                return true;
            }
        }
        return false;
    }

    private RateLimits.Decision decide(SecurityIdentity identity, RoutingContext routing) {
        if (identity == null || identity.isAnonymous()) {
            String address = address(routing);
            return limits.take("anonymous:" + address, address);
        }
        String organization = TenantRequestFilter.orgOf(identity).orElse(RateLimits.NETWORK);
        Object azp = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim("azp") : null;
        String client = azp != null ? azp.toString() : identity.getPrincipal().getName();
        return limits.take(organization, client == null ? "" : client);
    }

    private static Response.ResponseBuilder withHeaders(Response.ResponseBuilder builder, RateLimits.Decision decision) {
        return builder.header("RateLimit-Limit", decision.limit()).header("RateLimit-Remaining", decision.remaining())
                .header("RateLimit-Reset", decision.resetSeconds());
    }

    /** The caller's address; an IPv6 one by its /64, which one client usually holds whole. */
    private static String address(RoutingContext ctx) {
        if (ctx.request().remoteAddress() == null) {
            return "unknown";
        }
        String host = ctx.request().remoteAddress().host();
        if (host.indexOf(':') < 0) {
            return host;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(host).getAddress(); // a literal: no lookup
            return bytes.length == 16 ? java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : host;
        } catch (java.net.UnknownHostException e) {
            return host;
        }
    }
}
