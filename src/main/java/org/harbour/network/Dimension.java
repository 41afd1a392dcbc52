package org.harbour.network;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * What a trend can be broken down by. The time dimensions label periods as 2025-W11, 2025-03, 2025-Q1 and
 * 2025; week reads the weekly rollups, the others the monthly ones.
 */
enum Dimension {
    WEEK("week", true), MONTH("month", true), QUARTER("quarter", true), YEAR("year", true),
    PROVINCE("province", false), HEALTH_REGION("healthRegion", false), SITE_KIND("siteKind", false),
    ORGANIZATION("organization", false);

    /** The order of answer rows and coverage groups: dimension values in turn, a missing value (null) last. */
    static final java.util.Comparator<List<String>> KEY_ORDER = (a, b) -> {
        java.util.Comparator<String> nullsLast = java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder());
        for (int i = 0; i < a.size(); i++) {
            int c = nullsLast.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    /** An incident of the outreach (no site) counts in its organization's province when it serves only one. */
    static final String PROVINCE_SQL = "coalesce(s.province, CASE WHEN cardinality(o.provinces) = 1 THEN o.provinces[1] END)";

    final String param;
    final boolean time;

    Dimension(String param, boolean time) {
        this.param = param;
        this.time = time;
    }

    static Dimension of(String param) {
        for (Dimension d : values()) {
            if (d.param.equals(param)) {
                return d;
            }
        }
        return null;
    }

    /** The SQL of this (not time) dimension over the site {@code s}, the organization {@code o} and an org_id column. */
    String sql(String org) {
        return switch (this) {
            case PROVINCE -> PROVINCE_SQL;
            case HEALTH_REGION -> "s.health_region";
            case SITE_KIND -> "s.kind";
            case ORGANIZATION -> org;
            default -> throw new IllegalStateException(name() + " is grouped as a period's date");
        };
    }

    /** The labels of every period of this time dimension from the first rollup period to the last, in order. */
    List<String> labels(LocalDate first, LocalDate last) {
        List<String> labels = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = this == WEEK ? d.plusWeeks(1) : d.plusMonths(1)) {
            String label = label(d);
            if (labels.isEmpty() || !labels.get(labels.size() - 1).equals(label)) {
                labels.add(label);
            }
        }
        return labels;
    }

    String label(LocalDate d) {
        return switch (this) {
            case WEEK -> String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> d.toString().substring(0, 7);
            case QUARTER -> d.getYear() + "-Q" + d.get(IsoFields.QUARTER_OF_YEAR);
            case YEAR -> Integer.toString(d.getYear());
            default -> throw new IllegalStateException(name() + " is not a time dimension");
        };
    }

    /** The first day of the rollup period (ISO week or month) that holds a date. */
    static LocalDate periodStart(LocalDate date, boolean weekly) {
        return weekly ? date.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)) : date.withDayOfMonth(1);
    }
}
