package org.harbour.web;

import java.util.List;

/**
 * A failure that the client can act on. Carries a problem code (the last segment of the problem type),
 * whose title and default detail are looked up in the i18n bundle, and optional field errors whose
 * messages are bundle keys too, so that the response follows Accept-Language.
 */
public class ProblemException extends RuntimeException {

    public final int status;
    public final String code;
    public final String detailKey;
    public final Object[] detailArgs;
    public final List<FieldErrorKey> errors;

    public ProblemException(int status, String code, String detailKey, Object... detailArgs) {
        this(status, code, List.of(), detailKey, detailArgs);
    }

    public ProblemException(int status, String code, List<FieldErrorKey> errors, String detailKey, Object... detailArgs) {
        super(code + ": " + detailKey, null, false, false);
        this.status = status;
        this.code = code;
        this.detailKey = detailKey;
        this.detailArgs = detailArgs;
        this.errors = errors;
    }

    /** A field error whose message is a bundle key with arguments. */
    public record FieldErrorKey(String field, String key, Object... args) {
    }

    public static ProblemException notFound() {
        return new ProblemException(404, "not-found", "problem.not-found.detail");
    }

    /** A semantic rule broken by otherwise well-formed input (422), naming the fields involved. */
    public static ProblemException rule(FieldErrorKey... errors) {
        return new ProblemException(422, "rule-violated", List.of(errors), "problem.rule-violated.detail");
    }

    public static ProblemException conflict(String detailKey, Object... args) {
        return new ProblemException(409, "conflict", detailKey, args);
    }
}
