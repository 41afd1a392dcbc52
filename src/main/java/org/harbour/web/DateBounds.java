package org.harbour.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.harbour.web.ProblemException.FieldErrorKey;

/**
 * The dates a record may carry: 1900 to 2100. The rollups place every date in its week and month inside
 * PostgreSQL's timestamp range; a date far outside it (year -4713, year 300000) could be stored but not
 * placed, and would break the fold that every coordinator's question waits for.
 */
public final class DateBounds {

    public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    public static final LocalDate LATEST = LocalDate.of(2100, 12, 31);

    private DateBounds() {
    }

    /** Adds FIELD's error to BROKEN when DATE is set and out of bounds. */
    public static void check(LocalDate date, String field, List<FieldErrorKey> broken) {
        if (date != null && (date.isBefore(EARLIEST) || date.isAfter(LATEST))) {
            broken.add(new FieldErrorKey(field, "field.date-range", EARLIEST, LATEST));
        }
    }

    public static void check(Instant at, String field, List<FieldErrorKey> broken) {
        if (at != null && (at.isBefore(EARLIEST.atStartOfDay(ZoneOffset.UTC).toInstant())
                || !at.isBefore(LATEST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))) {
            broken.add(new FieldErrorKey(field, "field.date-range", EARLIEST, LATEST));
        }
    }
}
