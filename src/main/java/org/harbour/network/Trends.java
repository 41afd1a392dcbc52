package org.harbour.network;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.harbour.web.Messages;
import org.harbour.web.ProblemException;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;

/**
 * Trends across organizations, from the rollups only, through the network's own read-only database role
 * (harbour_network): it can read the network sums, the per-site rollups and the site directory, and no
 * row-level data. Pending rollup deltas are folded first, so that the answer holds every committed write.
 */
@ApplicationScoped
public class Trends {

    /** An answer holds at most this many rows (ten years of weeks for nine organizations is more). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "harbour.network.trends.max-rows", defaultValue = "5000")
    int maxRows;
    private static final String OUTREACH = "'00000000-0000-0000-0000-000000000000'::uuid";
    /** A site counts as open in a period when it had opened by its end and not closed before its start. */
    private static final String OPEN_IN_PERIOD = "s.status <> 'PLANNED' AND (s.opened_on IS NULL OR s.opened_on <= %2$s) "
            + "AND (s.closed_on IS NULL OR s.closed_on >= %1$s)";

    @Inject
    @DataSource("network")
    AgroalDataSource database;

    @Inject
    Measures measures;

    @Inject
    RollupFolder folder;

    /** Reads a grouped query's values after the dimensions (columns 1..n) into a row's sums. */
    @FunctionalInterface
    private interface Reader {
        void read(ResultSet rs, int first, Sums sums) throws SQLException;
    }

    TrendView trends(TrendQuery q, Locale locale) {
        Map<List<String>, Sums> rows = new HashMap<>();
        String grain = q.weekly() ? "WEEK" : "MONTH";
        // By week or month each rollup period is a period of the answer: sites are counted per period.
        // By quarter, year or no period, a site counts once across the months of an answer period.
        boolean perPeriod = q.by().contains(Dimension.WEEK) || q.by().contains(Dimension.MONTH);
        Set<String> wanted = new HashSet<>();
        q.measures().forEach(m -> wanted.add(m.name()));
        // Whether a site was open matters only to these two; otherwise rows need their site for attributes only.
        boolean openness = wanted.contains("sitesReporting") || wanted.contains("completeness");
        // The network sums hold a row per period, organization, province and site kind: they answer every
        // question that is not about health regions or services, which need the sites' own rollups.
        TrendQuery.Filters f = q.filters();
        boolean network = !q.by().contains(Dimension.HEALTH_REGION) && f.healthRegions().isEmpty() && f.services().isEmpty();
        try {
            folder.foldNow();
        } catch (SQLException e) {
            throw new IllegalStateException("rollup fold failed", e);
        }
        List<Object> range = List.of(grain, q.firstPeriod(), q.lastPeriod());
        try (Connection c = database.getConnection()) {
            query(c, q, openness, network ? "s.period" : "r.period", network ? "s.org_id" : "r.org_id", range, network ? """
                    SELECT {dims}, sum(s.site_rows), sum(s.visit_days), sum(s.visits), sum(s.overdoses), sum(s.overdoses_at_sites),
                           sum(s.overdoses_naloxone), sum(s.overdoses_ems_called), sum(s.overdoses_transported), sum(s.deaths),
                           sum(s.critical), sum(s.critical_debriefed_72h), sum(s.samples), sum(s.sites_reporting)
                      FROM network_rollup s {organization}
                     WHERE s.grain = ? AND s.period BETWEEN ? AND ? AND {filters}
                     GROUP BY {groups} HAVING sum(s.site_rows) > 0""" : """
                    SELECT {dims}, count(*), sum(r.visit_days), sum(r.visits), sum(r.overdoses),
                           coalesce(sum(r.overdoses) FILTER (WHERE r.site_id <> {outreach} AND r.visit_days > 0), 0), sum(r.overdoses_naloxone),
                           sum(r.overdoses_ems_called), sum(r.overdoses_transported), sum(r.deaths), sum(r.critical),
                           sum(r.critical_debriefed_72h), sum(r.samples), count(*) FILTER (WHERE r.visit_days > 0 AND {open})
                      FROM site_rollup r {site} {organization}
                     WHERE r.grain = ? AND r.period BETWEEN ? AND ? AND {filters}
                     GROUP BY {groups}""", (rs, i, s) -> {
                        s.rollupRows += rs.getLong(i++);
                        s.visitDays += rs.getLong(i++);
                        s.visits += rs.getLong(i++);
                        s.overdoses += rs.getLong(i++);
                        s.overdosesAtSites += rs.getLong(i++);
                        s.overdosesNaloxone += rs.getLong(i++);
                        s.overdosesEmsCalled += rs.getLong(i++);
                        s.overdosesTransported += rs.getLong(i++);
                        s.deaths += rs.getLong(i++);
                        s.critical += rs.getLong(i++);
                        s.criticalDebriefed72h += rs.getLong(i++);
                        s.samples += rs.getLong(i++);
                        long reporting = rs.getLong(i);
                        s.sitePeriodsReporting += reporting;
                        if (perPeriod) {
                            s.sitesReporting += reporting;
                        }
                    }, rows);
            if (perPeriod && (wanted.contains("sitesOpen") || wanted.contains("completeness"))) {
                query(c, q, openness, "p.period", "s.org_id", List.of(q.firstPeriod(), q.lastPeriod(), q.weekly() ? "1 week" : "1 month"), """
                        SELECT {dims}, count(*)
                          FROM site s {organization}
                          CROSS JOIN LATERAL (SELECT g::date AS period FROM generate_series(?::date, ?::date, ?::interval) g) p
                         WHERE {open} AND {filters}
                         GROUP BY {groups}""", (rs, i, s) -> {
                            long open = rs.getLong(i);
                            s.sitesOpen += open;
                            s.sitePeriodsOpen += open;
                        }, rows);
            } else if (!perPeriod && (wanted.contains("sitesOpen") || wanted.contains("completeness") || wanted.contains("sitesReporting"))) {
                // Across the months of a quarter, a year or the whole range, a site counts once: each site is taken
                // with the months of each answer period in which it was open (LO to HI); it reported when one of
                // them has visit days (one index probe per site); its months open are counted, not generated.
                List<LocalDate[]> periods = answerPeriods(q);
                query(c, q, openness, "p.first", "s.org_id", List.of(periods.stream().map(a -> a[0]).toArray(LocalDate[]::new),
                        periods.stream().map(a -> a[1]).toArray(LocalDate[]::new)), """
                        SELECT {dims}, count(*), sum(b.months), {reporting}
                          FROM site s {organization}
                          CROSS JOIN unnest(?::date[], ?::date[]) AS p(first, last)
                          CROSS JOIN LATERAL (SELECT greatest(p.first, date_trunc('month', s.opened_on)::date) AS lo,
                                                     least(p.last, s.closed_on) AS hi) w
                          CROSS JOIN LATERAL (SELECT (extract(year FROM w.hi) * 12 + extract(month FROM w.hi)
                                                      - extract(year FROM w.lo) * 12 - extract(month FROM w.lo))::integer + 1 AS months) b
                         WHERE s.status <> 'PLANNED' AND w.lo <= w.hi AND {filters}
                         GROUP BY {groups}""".replace("{reporting}", wanted.contains("sitesReporting") ? """
                        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM site_rollup r WHERE r.org_id = s.org_id AND r.site_id = s.id
                                         AND r.grain = 'MONTH' AND r.period BETWEEN w.lo AND w.hi AND r.visit_days > 0))""" : "0"),
                        (rs, i, s) -> {
                            s.sitesOpen += rs.getLong(i++);
                            s.sitePeriodsOpen += rs.getLong(i++);
                            s.sitesReporting += rs.getLong(i);
                        }, rows);
            }
            if (q.measures().stream().anyMatch(m -> m.substance() != null)) {
                query(c, q, openness, network ? "s.period" : "r.period", network ? "s.org_id" : "r.org_id", range, network ? """
                        SELECT {dims}, s.substance, sum(s.samples)
                          FROM network_rollup_concern s {organization}
                         WHERE s.grain = ? AND s.period BETWEEN ? AND ? AND {filters}
                         GROUP BY {groups}, s.substance HAVING sum(s.samples) <> 0""" : """
                        SELECT {dims}, r.substance, sum(r.samples)
                          FROM site_rollup_concern r {site} {organization}
                         WHERE r.grain = ? AND r.period BETWEEN ? AND ? AND {filters}
                         GROUP BY {groups}, r.substance""",
                        (rs, i, s) -> s.samplesWith.merge(rs.getString(i), rs.getLong(i + 1), Long::sum), rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("trend query failed", e);
        }
        return view(q, rows, locale);
    }

    /**
     * Runs one grouped query and adds what it reads to the rows. Its first parameters are LEADING (strings, dates
     * and arrays of dates), then the filters' arrays. The time dimension is grouped as the period's date and
     * labelled here (cheaper than grouping by to_char).
     */
    private void query(Connection c, TrendQuery q, boolean openness, String period, String org, List<Object> leading, String sql,
            Reader reader, Map<List<String>, Sums> rows) throws SQLException {
        List<String> dims = q.by().stream().map(d -> d.time ? period : d.sql(org)).toList();
        List<Object> filterArgs = new ArrayList<>();
        String end = q.weekly() ? "(" + period + " + 6)" : "(" + period + " + interval '1 month' - interval '1 day')::date";
        // The organization is joined only for the province of the outreach (incidents without a site); the site
        // only for a site attribute or filter, or for whether a site was open (sites reporting, completeness).
        boolean organization = q.by().contains(Dimension.PROVINCE) || !q.filters().provinces().isEmpty();
        TrendQuery.Filters f = q.filters();
        boolean site = organization || q.by().contains(Dimension.HEALTH_REGION) || q.by().contains(Dimension.SITE_KIND)
                || !f.healthRegions().isEmpty() || !f.siteKinds().isEmpty() || !f.services().isEmpty() || openness;
        if (!site && sql.contains("{site}")) {
            sql = sql.replace("{site}", "").replace("{open}", "false");
        }
        String text = sql.replace("{site}", "LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id")
                .replace("{dims}", dims.isEmpty() ? "1" : String.join(", ", dims))
                .replace("{groups}", dims.isEmpty() ? "()" : String.join(", ", dims))
                .replace("{outreach}", OUTREACH)
                .replace("{organization}", organization ? "JOIN organization o ON o.slug = " + org : "")
                .replace("{open}", String.format(OPEN_IN_PERIOD, period, end))
                .replace("{filters}", filters(q.filters(), org, filterArgs));
        try (PreparedStatement st = c.prepareStatement(text)) {
            int i = 0;
            for (Object arg : leading) {
                if (arg instanceof String value) {
                    st.setString(++i, value);
                } else if (arg instanceof LocalDate day) {
                    st.setDate(++i, Date.valueOf(day));
                } else {
                    st.setArray(++i, c.createArrayOf("date", java.util.Arrays.stream((LocalDate[]) arg).map(Date::valueOf).toArray()));
                }
            }
            for (Object arg : filterArgs) {
                st.setArray(++i, c.createArrayOf("text", ((List<?>) arg).toArray()));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    List<String> key = new ArrayList<>();
                    for (int k = 1; k <= q.by().size(); k++) {
                        Dimension d = q.by().get(k - 1);
                        key.add(d.time ? d.label(rs.getDate(k).toLocalDate()) : rs.getString(k));
                    }
                    reader.read(rs, Math.max(q.by().size(), 1) + 1, rows.computeIfAbsent(key, x -> new Sums()));
                }
            }
        }
    }

    /** The first and last month of each period of the answer within the range: quarters, years, or the whole range. */
    private static List<LocalDate[]> answerPeriods(TrendQuery q) {
        Dimension time = q.by().stream().filter(d -> d.time).findFirst().orElse(null);
        List<LocalDate[]> periods = new ArrayList<>();
        for (LocalDate first = q.firstPeriod(); !first.isAfter(q.lastPeriod());) {
            LocalDate last = time == null ? q.lastPeriod()
                    : time == Dimension.QUARTER ? first.withMonth((first.getMonthValue() - 1) / 3 * 3 + 3) : first.withMonth(12);
            if (last.isAfter(q.lastPeriod())) {
                last = q.lastPeriod();
            }
            periods.add(new LocalDate[] { first, last });
            first = last.plusMonths(1);
        }
        return periods;
    }

    private static String filters(TrendQuery.Filters f, String org, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (!f.provinces().isEmpty()) {
            clauses.add(Dimension.PROVINCE_SQL + " = ANY (?)");
            args.add(f.provinces());
        }
        if (!f.healthRegions().isEmpty()) {
            clauses.add("s.health_region = ANY (?)");
            args.add(f.healthRegions());
        }
        if (!f.siteKinds().isEmpty()) {
            clauses.add("s.kind = ANY (?)");
            args.add(f.siteKinds());
        }
        if (!f.organizations().isEmpty()) {
            clauses.add(org + " = ANY (?)");
            args.add(f.organizations());
        }
        if (!f.services().isEmpty()) {
            // A semi-join on the sites offering it, not a subquery per rollup row.
            clauses.add("(s.org_id, s.id) IN (SELECT f.org_id, f.site_id FROM offering f WHERE f.service_code = ANY (?))");
            args.add(f.services());
        }
        return clauses.isEmpty() ? "true" : String.join(" AND ", clauses);
    }

    /** Refuses an answer of more than maxRows rows, before its combinations are made. */
    private void tooMany(long rows) {
        if (rows > maxRows) {
            throw new ProblemException(400, "validation",
                    List.of(new ProblemException.FieldErrorKey("by", "field.trend-too-many-rows", maxRows)),
                    "problem.validation.detail");
        }
    }

    /** One row per combination: every period of the range, times the other dimension's values that have sites or data. */
    private TrendView view(TrendQuery q, Map<List<String>, Sums> found, Locale locale) {
        int timeIndex = -1;
        for (int i = 0; i < q.by().size(); i++) {
            if (q.by().get(i).time) {
                timeIndex = i;
            }
        }
        Set<List<String>> keys = new LinkedHashSet<>(found.keySet());
        if (timeIndex >= 0) {
            List<String> periods = q.by().get(timeIndex).labels(q.firstPeriod(), q.lastPeriod());
            Set<List<String>> others = new LinkedHashSet<>();
            int t = timeIndex;
            found.keySet().forEach(k -> {
                List<String> rest = new ArrayList<>(k);
                rest.remove(t);
                others.add(rest);
            });
            if (q.by().size() == 1) {
                others.add(List.of()); // the periods alone: every one gets its row
            }
            tooMany((long) periods.size() * others.size());
            for (String p : periods) {
                for (List<String> rest : others) {
                    List<String> key = new ArrayList<>(rest);
                    key.add(t, p);
                    keys.add(key);
                }
            }
        } else if (q.by().isEmpty()) {
            keys.add(List.of());
        }
        tooMany(keys.size());
        List<List<String>> sorted = new ArrayList<>(keys);
        sorted.sort(Dimension.KEY_ORDER);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<String> key : sorted) {
            Sums sums = found.getOrDefault(key, new Sums());
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < key.size(); i++) {
                row.put(q.by().get(i).param, key.get(i));
            }
            for (Measure m : q.measures()) {
                row.put(m.name(), m.value().apply(sums));
            }
            rows.add(row);
        }
        List<String> notes = new ArrayList<>();
        notes.add(Messages.get(locale, "trend.note.unique-clients"));
        notes.add(Messages.get(locale, "trend.note.ratios"));
        if (q.by().stream().anyMatch(d -> d == Dimension.PROVINCE)) {
            notes.add(Messages.get(locale, "trend.note.outreach"));
        }
        return new TrendView(q.measures().stream().map(Measure::name).toList(), q.by().stream().map(d -> d.param).toList(),
                q.from().toString(), q.to().toString(), rows, notes);
    }
}
