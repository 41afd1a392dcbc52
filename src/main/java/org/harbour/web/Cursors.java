package org.harbour.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Opaque keyset cursors: the last key of a page, base64url-encoded. */
public final class Cursors {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private Cursors() {
    }

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key in the cursor, or a 400 naming the cursor parameter. */
    public static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(400, "validation", List.of(new ProblemException.FieldErrorKey("cursor", "field.cursor")),
                    "problem.validation.detail");
        }
    }
}
