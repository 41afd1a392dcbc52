package org.harbour.web;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Query parameters that name an enum are read here rather than by JAX-RS, which answers a value it cannot
 * convert with 404: a client that misspells a filter deserves a 400 naming the parameter and the values.
 */
public final class Params {

    private Params() {
    }

    public static <E extends Enum<E>> E enumValue(Class<E> type, String value, String parameter) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
            throw new ProblemException(400, "validation",
                    List.of(new ProblemException.FieldErrorKey(parameter, "field.enum", allowed)), "problem.validation.detail");
        }
    }
}
