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

    private static void tooLarge(RoutingContext ctx) {
        Problem problem = ProblemResponses.problem(Messages.locale(ctx.request().getHeader("Accept-Language")), 413,
                "too-large", java.util.List.of(), "problem.too-large.detail");
        // The declared body is never read, so the connection cannot carry another request: close it.
        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                .end(Json.encode(problem)).onComplete(done -> ctx.request().connection().close());
    }
}
