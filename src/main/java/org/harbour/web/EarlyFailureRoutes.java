package org.harbour.web;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Failures that happen before any resource is reached (no route matched, a body over the size limit)
 * are answered with a problem, like every other error.
 */
@ApplicationScoped
public class EarlyFailureRoutes {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void register(@Observes Router router) {
        // Ahead of Quarkus' own check, which answers a declared oversize body with an empty 413.
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > maxBodySize.asLongValue()) {
                tooLarge(ctx);
            } else {
                ctx.next();
            }
        });
        router.route("/v1/*").order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (malformedBearer(ctx.request().getHeader("Authorization"))) {
                Problem problem = ProblemResponses.problem(Messages.locale(ctx.request().getHeader("Accept-Language")), 401,
                        "unauthorized", java.util.List.of(), "problem.unauthorized.detail");
                ctx.response().setStatusCode(401).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"").end(Json.encode(problem));
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                tooLarge(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MAX_VALUE).handler(ctx -> {
            Problem problem = ProblemResponses.problem(Messages.locale(ctx.request().getHeader("Accept-Language")), 404,
                    "not-found", java.util.List.of(), "problem.not-found.path");
            ctx.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
        });
    }

    /**
     * Every issuer the registry accepts signs JWTs, so a bearer token that is not shaped as a compact JWS
     * (three non-empty base64url parts) is refused here, before the OIDC layer, which fails on some such
     * shapes with an exception of its own rather than a 401.
     */
    public static boolean malformedBearer(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return !COMPACT_JWS.matcher(authorization.substring(7).trim()).matches();
    }

    private static final java.util.regex.Pattern COMPACT_JWS = java.util.regex.Pattern
            .compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private static void tooLarge(RoutingContext ctx) {
        Problem problem = ProblemResponses.problem(Messages.locale(ctx.request().getHeader("Accept-Language")), 413,
                "too-large", java.util.List.of(), "problem.too-large.detail");
        // The declared body is never read, so the connection cannot carry another request: close it.
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                .end(Json.encode(problem)).onComplete(done -> ctx.request().connection().close());
    }
}
