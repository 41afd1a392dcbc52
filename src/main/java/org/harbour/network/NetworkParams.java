package org.harbour.network;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;
import java.util.regex.Pattern;

import org.harbour.tenancy.Provinces;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;

/** Query parameters of the network paths that take comma-separated values: bounded, checked, 400 otherwise. */
final class NetworkParams {

    static final int MAX_VALUES = 50;
    static final Pattern PROVINCE = Pattern.compile("^" + Provinces.PATTERN + "$");
    static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,39}$");

    private NetworkParams() {
    }

    static List<String> provinces(String param) {
        return orFail(param, PROVINCE, "province", "field.province");
    }

    static List<String> organizations(String param) {
        return orFail(param, SLUG, "organization", "field.slug");
    }

    private static List<String> orFail(String param, Pattern pattern, String field, String key) {
        List<FieldErrorKey> errors = new ArrayList<>();
        List<String> values = checked(values(param, field, errors), pattern, field, key, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", errors, "problem.validation.detail");
        }
        return values;
    }

    /** Comma-separated values, each non-empty, at most {@link #MAX_VALUES}, duplicates dropped. */
    static List<String> values(String param, String field, List<FieldErrorKey> errors) {
        if (param == null || param.isEmpty()) {
            return List.of();
        }
        String[] parts = param.split(",", MAX_VALUES + 1);
        if (parts.length > MAX_VALUES) {
            errors.add(new FieldErrorKey(field, "field.too-many-values", MAX_VALUES));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String part : parts) {
            String v = part.strip();
            if (v.isEmpty()) {
                errors.add(new FieldErrorKey(field, "field.empty-value"));
                return List.of();
            }
            if (v.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldErrorKey(field, "field.control-character"));
                return List.of();
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    static List<String> checked(List<String> values, Pattern pattern, String field, String key, List<FieldErrorKey> errors,
            Object... args) {
        for (String v : values) {
            if (!pattern.matcher(v).matches()) {
                errors.add(new FieldErrorKey(field, key, args));
                return List.of();
            }
        }
        return values;
    }
}
