package org.harbour.research;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;

/**
 * Windows of extracts are whole quarters, the coarsest period a file may be generalized to: a narrower
 * window would tell the month of rows labelled with a quarter. Weekly aggregates keep only the weeks whole
 * inside the window, so that no two windows publish two parts of one week.
 */
final class Windows {

    private Windows() {
    }

    static boolean startsQuarter(YearMonth month) {
        return (month.getMonthValue() - 1) % 3 == 0;
    }

    static boolean quarterAligned(YearMonth from, YearMonth to) {
        return startsQuarter(from) && to.getMonthValue() % 3 == 0;
    }

    static LocalDate firstWholeWeek(LocalDate from) {
        return from.with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
    }

    /** The day after the last whole week ending before toExclusive. */
    static LocalDate afterLastWholeWeek(LocalDate toExclusive) {
        return toExclusive.minusDays(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).plusDays(1);
    }
}
