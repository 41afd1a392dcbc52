package org.harbour.web;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** A NUL character in a path or query parameter would reach PostgreSQL as text it refuses: a 400 first. */
public class StorableParameters {

    private static String decoded(String name) {
        try {
            return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name;
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseNul(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        java.util.Locale locale = Messages.locale(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        if (query != null && query.contains("%00")) {
            // Each parameter that holds one, named as the client sent it.
            List<Problem.FieldError> errors = java.util.Arrays.stream(query.split("&")).filter(p -> p.contains("%00"))
                    .map(p -> p.split("=", 2)[0].replace("%00", ""))
                    .map(StorableParameters::decoded).distinct()
                    .map(name -> new Problem.FieldError(name, Messages.get(locale, "field.unstorable-text"))).toList();
            return Optional.of(ProblemResponses.response(ProblemResponses.problem(locale, 400, "validation", errors,
                    "problem.bad-request.nul")));
        }
        if (path != null && path.contains("%00")) {
            return Optional.of(ProblemResponses.response(ProblemResponses.problem(locale, 400, "bad-request", List.of(),
                    "problem.bad-request.nul")));
        }
        return Optional.empty();
    }
}
