package org.harbour.web;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A path that no resource or management route matched is answered with a problem, like every other error. */
@ApplicationScoped
public class NotFoundRoute {

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(ctx -> {
            Problem problem = ProblemResponses.problem(Messages.locale(ctx.request().getHeader("Accept-Language")), 404,
                    "not-found", java.util.List.of(), "problem.not-found.path");
            ctx.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.encode(problem));
        });
    }
}
