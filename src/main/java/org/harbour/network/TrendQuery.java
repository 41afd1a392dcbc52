package org.harbour.network;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.harbour.site.SiteKind;
import org.harbour.web.ProblemException;
import org.harbour.web.ProblemException.FieldErrorKey;

/**
 * A trend request, checked: known measures and dimensions, at most two dimensions of which one of time,
 * filters of bounded size, a period of at most ten years. Dates are rounded to the start of their ISO week
 * (by week) or month (otherwise): the rollups hold weeks and months.
 */
record TrendQuery(List<Measure> measures, List<Dimension> by, Filters filters, LocalDate from, LocalDate to) {

    enum Period {
        LAST_12_MONTHS, THIS_YEAR, LAST_YEAR
    }

    record Filters(List<String> provinces, List<String> healthRegions, List<String> siteKinds, List<String> organizations,
            List<String> services) {
    }

    static final int MAX_MONTHS = 120;
    static final String DEFAULT_MEASURES = "visits,overdoses,overdosesPer1000Visits";
    private static final Pattern SERVICE = Pattern.compile("^[A-Z][A-Z0-9_]{2,59}$");
    private static final String SITE_KINDS = Arrays.stream(SiteKind.values()).map(Enum::name).collect(Collectors.joining(", "));
    private static final Pattern SITE_KIND = Pattern.compile(Arrays.stream(SiteKind.values()).map(Enum::name)
            .collect(Collectors.joining("|", "^(", ")$")));
    private static final Pattern MONTH = Pattern.compile("^\\d{4}-\\d{2}$");

    boolean weekly() {
        return by.contains(Dimension.WEEK);
    }

    LocalDate firstPeriod() {
        return Dimension.periodStart(from, weekly());
    }

    LocalDate lastPeriod() {
        return Dimension.periodStart(to, weekly());
    }

    static TrendQuery parse(Measures catalog, String measures, String by, String province, String healthRegion, String siteKind,
            String organization, String service, String from, String to, String period, LocalDate today) {
        List<FieldErrorKey> errors = new ArrayList<>();
        from = from == null || from.isBlank() ? null : from;
        to = to == null || to.isBlank() ? null : to;
        List<Measure> chosen = new ArrayList<>();
        for (String name : NetworkParams.values(measures == null || measures.isBlank() ? DEFAULT_MEASURES : measures, "measures", errors)) {
            Measure m = catalog.get(name);
            if (m == null) {
                errors.add(new FieldErrorKey("measures", "field.enum", String.join(", ", catalog.names())));
                break;
            }
            chosen.add(m);
        }
        List<Dimension> dims = new ArrayList<>();
        for (String name : NetworkParams.values(by, "by", errors)) {
            Dimension d = Dimension.of(name);
            if (d == null) {
                errors.add(new FieldErrorKey("by", "field.enum",
                        Arrays.stream(Dimension.values()).map(x -> x.param).collect(Collectors.joining(", "))));
                break;
            }
            dims.add(d);
        }
        if (dims.size() > 2 || dims.stream().filter(d -> d.time).count() > 1) {
            errors.add(new FieldErrorKey("by", "field.trend-by"));
        }
        Filters filters = new Filters(
                NetworkParams.checked(NetworkParams.values(province, "province", errors), NetworkParams.PROVINCE, "province", "field.province", errors),
                NetworkParams.values(healthRegion, "healthRegion", errors).stream().peek(v -> {
                    if (v.length() > 200) {
                        errors.add(new FieldErrorKey("healthRegion", "field.too-long", 200));
                    }
                }).toList(),
                NetworkParams.checked(NetworkParams.values(siteKind, "siteKind", errors), SITE_KIND, "siteKind", "field.enum", errors,
                        SITE_KINDS),
                NetworkParams.checked(NetworkParams.values(organization, "organization", errors), NetworkParams.SLUG, "organization", "field.slug", errors),
                NetworkParams.checked(NetworkParams.values(service, "service", errors), SERVICE, "service", "field.service-code", errors));
        LocalDate start = null;
        LocalDate end = null;
        if (period != null && !period.isEmpty() && (from != null || to != null)) {
            errors.add(new FieldErrorKey("period", "field.period-or-range"));
        } else if (from != null || to != null) {
            start = date(from, false, "from", errors);
            end = date(to, true, "to", errors);
            if (start == null && end != null) {
                start = YearMonth.from(end).minusMonths(11).atDay(1);
            } else if (end == null && start != null) {
                end = today;
            }
        } else {
            YearMonth month = YearMonth.from(today);
            Period named = period == null || period.isEmpty() ? Period.LAST_12_MONTHS : enumValue(period, errors);
            switch (named == null ? Period.LAST_12_MONTHS : named) {
                case LAST_12_MONTHS -> {
                    start = month.minusMonths(12).atDay(1);
                    end = month.minusMonths(1).atEndOfMonth();
                }
                case THIS_YEAR -> {
                    start = today.withDayOfYear(1);
                    end = today;
                }
                case LAST_YEAR -> {
                    start = today.minusYears(1).withDayOfYear(1);
                    end = start.plusYears(1).minusDays(1);
                }
            }
        }
        if (start != null && end != null) {
            if (end.isBefore(start)) {
                errors.add(new FieldErrorKey("to", "field.range"));
            } else if (ChronoUnit.MONTHS.between(YearMonth.from(start), YearMonth.from(end)) >= MAX_MONTHS) {
                errors.add(new FieldErrorKey("to", "field.period-too-long", MAX_MONTHS));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", errors, "problem.validation.detail");
        }
        return new TrendQuery(List.copyOf(new LinkedHashSet<>(chosen)), dims, filters, start, end);
    }

    private static Period enumValue(String period, List<FieldErrorKey> errors) {
        try {
            return Period.valueOf(period);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldErrorKey("period", "field.enum",
                    Arrays.stream(Period.values()).map(Enum::name).collect(Collectors.joining(", "))));
            return null;
        }
    }

    /** A month (2025-03: its first day, or its last for the end of a range) or a date. */
    private static LocalDate date(String value, boolean end, String field, List<FieldErrorKey> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            LocalDate date = MONTH.matcher(value).matches()
                    ? (end ? YearMonth.parse(value).atEndOfMonth() : YearMonth.parse(value).atDay(1))
                    : LocalDate.parse(value);
            if (date.getYear() < 2000 || date.getYear() > 2100) {
                errors.add(new FieldErrorKey(field, "field.month-or-date"));
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            errors.add(new FieldErrorKey(field, "field.month-or-date"));
            return null;
        }
    }
}
