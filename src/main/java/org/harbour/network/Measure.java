package org.harbour.network;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.function.Function;

/**
 * A trend measure: how it is computed from a row's {@link Sums}, and its unit. {@code substance} is set
 * for the share of drug-checking samples with one substance of concern. The value is null when the row
 * has no data for it (nothing reported, or a denominator of 0), never 0 by default.
 */
record Measure(String name, Unit unit, String substance, Function<Sums, Number> value) {

    enum Unit {
        COUNT, SITES, SHARE, PER_1000_VISITS
    }

    /** A count, null when no site of the row reported anything. */
    static Measure count(String name, Function<Sums, Long> count) {
        return new Measure(name, Unit.COUNT, null, s -> s.rollupRows == 0 ? null : count.apply(s));
    }

    static Measure share(String name, Function<Sums, Long> numerator, Function<Sums, Long> denominator) {
        return new Measure(name, Unit.SHARE, null, s -> ratio(numerator.apply(s), denominator.apply(s), 1, 4));
    }

    static Double ratio(long numerator, long denominator, long scale, int decimals) {
        if (denominator == 0) {
            return null;
        }
        return BigDecimal.valueOf(numerator).multiply(BigDecimal.valueOf(scale))
                .divide(BigDecimal.valueOf(denominator), decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
