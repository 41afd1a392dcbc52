package org.harbour.web;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** A NUL character in a path or query parameter would reach PostgreSQL as text it refuses: a 400 first. */
public class StorableParameters {

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseNul(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if ((path != null && path.contains("%00")) || (query != null && query.contains("%00"))) {
            return Optional.of(ProblemResponses.response(ProblemResponses.problem(
                    Messages.locale(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)), 400, "bad-request", List.of(),
                    "problem.bad-request.nul")));
        }
        return Optional.empty();
    }
}
