package org.harbour.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** Opaque keyset cursors: the last key of a page, base64url-encoded. */
public final class Cursors {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private Cursors() {
    }

    /** A position in a list ordered newest first by an instant, ties broken by id. */
    public record After(java.time.Instant at, java.util.UUID id) {
    }

    /** The key of a row in such a list, for {@link Page#of}. */
    public static String newestFirstKey(java.time.Instant at, java.util.UUID id) {
        return at + "|" + id;
    }

    public static After newestFirst(String cursor) {
        return decode(cursor, key -> {
            String[] parts = key.split("\\|");
            return new After(java.time.Instant.parse(parts[0]), java.util.UUID.fromString(parts[1]));
        });
    }

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key in the cursor, or a 400 naming the cursor parameter. */
    public static String decode(String cursor) {
        return decode(cursor, key -> key);
    }

    /** The key in the cursor, parsed; a cursor that does not decode or parse is a 400 naming the parameter. */
    public static <T> T decode(String cursor, Function<String, T> parser) {
        try {
            return parser.apply(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ProblemException(400, "validation", List.of(new ProblemException.FieldErrorKey("cursor", "field.cursor")),
                    "problem.validation.detail");
        }
    }
}
