package org.harbour.web;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.core.Response;

/** Builds problem responses in the caller's language. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Problem problem(Locale locale, int status, String code, List<Problem.FieldError> errors, String detailKey,
            Object... detailArgs) {
        return new Problem("/problems/" + code, Messages.get(locale, "problem." + code + ".title"), status,
                detailKey == null ? null : Messages.get(locale, detailKey, detailArgs),
                RequestId.instance(RequestId.current()), errors);
    }

    public static Problem problem(Locale locale, ProblemException e) {
        List<Problem.FieldError> errors = e.errors.stream()
                .map(f -> new Problem.FieldError(f.field(), Messages.get(locale, f.key(), f.args())))
                .toList();
        return problem(locale, e.status, e.code, errors, e.detailKey, e.detailArgs);
    }

    public static Response response(Problem problem) {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer");
        }
        if (problem.status() == 503 || problem.status() == 429) {
            builder.header("Retry-After", "5");
        }
        return builder.build();
    }
}
