package org.harbour.research;

import java.time.LocalDate;
import java.time.temporal.IsoFields;

/** Periods as extracts write them: 2025-W11, 2025-03, 2025-Q1; never a date. */
enum Periods {
    WEEK("week"), MONTH("month"), QUARTER("quarter");

    final String wire;

    Periods(String wire) {
        this.wire = wire;
    }

    static Periods of(String wire) {
        for (Periods p : values()) {
            if (p.wire.equals(wire)) {
                return p;
            }
        }
        throw new IllegalArgumentException(wire);
    }

    String label(LocalDate day) {
        return switch (this) {
            case WEEK -> String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> String.format("%d-%02d", day.getYear(), day.getMonthValue());
            case QUARTER -> day.getYear() + "-Q" + day.get(IsoFields.QUARTER_OF_YEAR);
        };
    }

    /** The start of the period in SQL, for ordering rows by period. */
    String sqlStart(String dayExpression) {
        return "date_trunc('" + wire + "', " + dayExpression + ")";
    }
}
