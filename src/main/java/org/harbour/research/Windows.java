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

    /** The days a file at this period may hold: by week, only the weeks whole inside the window. */
    record Window(LocalDate from, LocalDate toExclusive) {
        /** Whether a finest combination (its week and month) lies inside, as the file's rows would. */
        boolean holds(Periods period, LocalDate week, LocalDate month) {
            return period == Periods.WEEK ? !week.isBefore(from) && !week.plusDays(7).isAfter(toExclusive)
                    : !month.isBefore(from) && month.isBefore(toExclusive);
        }
    }

    static Window of(Periods period, LocalDate from, LocalDate toExclusive) {
        if (period != Periods.WEEK) {
            return new Window(from, toExclusive);
        }
        return new Window(from.with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY)),
                toExclusive.minusDays(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY)).plusDays(1));
    }
}
