package org.harbour.research;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;

/**
 * Makes the rows of an extract from the research read path (its own read-only role, which sees only the
 * columns an extract may derive from) and writes them as they are read: nothing holds the file, only the
 * counts of the quasi-identifier combinations. Rows come in a fixed order (period, then keyed hashes of the
 * site and the row, so that two projects' files cannot be aligned row by row): the same data, project and
 * request give the same bytes.
 */
@ApplicationScoped
class ExtractRunner {

    /** What the job asks for, as the worker read it. */
    /**
     * The request's window (from, toExclusive) within the project's (projectFrom, projectToExclusive): whole
     * quarters both. Which combinations are rare is decided over the project's window, so that every file of a
     * project is a slice of the same one and two files cannot be subtracted to find what either suppressed.
     */
    record Job(Dataset dataset, String format, LocalDate from, LocalDate toExclusive, LocalDate projectFrom,
            LocalDate projectToExclusive, Periods grain, String rows, String columns, int k, boolean keepSite,
            Generalization fixed) {
    }

    record Outcome(long rows, long suppressedRows, long suppressedCells, Map<String, String> generalizations,
            List<String> header) {
    }

    interface Progress {
        void expected(long rows);

        void written(long rows);
    }

    @Inject
    @DataSource("research")
    AgroalDataSource research;

    @ConfigProperty(name = "harbour.network.time-zone")
    ZoneId zone;

    /** Share of the rows that may be suppressed before a coarser generalization is preferred. */
    @ConfigProperty(name = "harbour.research.max-suppression", defaultValue = "0.05")
    double maxSuppression;

    /** Sites a combination must come from when the project may not tell sites apart (at most 2: counted up to two). */
    @ConfigProperty(name = "harbour.research.min-sites", defaultValue = "2")
    int minSites;

    private static final int FETCH = 2_000;

    Outcome run(Job job, ProjectKeys.Pseudonyms ids, OutputStream out, Progress progress) throws SQLException {
        try (Connection c = research.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            // One snapshot for the counts and the rows, so that what was counted is what is written.
            try (var s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            try {
                RecordWriter writer = RecordWriter.of(job.format(), out);
                return switch (job.dataset()) {
                    case INCIDENTS, DRUG_CHECKS -> personLevel(c, job, ids, writer, progress);
                    case VISITS -> visits(c, job, ids, writer, progress);
                    case RESILIENCY -> resiliency(c, job, ids, writer, progress);
                    case SUMMARY -> summary(c, job, writer, progress);
                };
            } finally {
                c.rollback();
            }
        }
    }

    // ---- incidents and drug checks: k-anonymity by generalization, then suppression ----

    private static final String INCIDENTS = """
            SELECT * FROM (
              SELECT i.org_id, i.site_id, i.id::text AS row_id, s.province, s.kind AS site_kind,
                     (i.occurred_at AT TIME ZONE coalesce(s.time_zone, ?))::date AS d,
                     i.location, i.kind, i.substances, i.mode, i.naloxone_doses, i.naloxone_route, i.oxygen, i.rescue_breathing,
                     i.bag_valve_mask, i.peer_naloxone_before_staff, i.ems_called, i.ems_attended, i.police_attended,
                     i.outcome, i.flailing_in_small_space,
                     CASE WHEN i.debrief_held IS NULL THEN NULL
                          ELSE i.debrief_held AND i.debrief_at IS NOT NULL AND i.debrief_at <= i.occurred_at + interval '72 hours'
                     END AS debriefed
                FROM incident i LEFT JOIN site s ON s.org_id = i.org_id AND s.id = i.site_id
               WHERE i.occurred_at >= ?::date - 2 AND i.occurred_at < ?::date + 2) b
             WHERE b.d >= ? AND b.d < ?""";

    private static final String DRUG_CHECKS = """
            SELECT * FROM (
              SELECT c.org_id, c.site_id, c.id::text AS row_id, s.province, s.kind AS site_kind,
                     (c.taken_at AT TIME ZONE coalesce(s.time_zone, ?))::date AS d,
                     c.expected, c.sample_kind, c.methods,
                     ARRAY(SELECT DISTINCT r ->> 'substance' FROM jsonb_array_elements(c.results) r
                            WHERE coalesce(r ->> 'stripResult', 'POSITIVE') = 'POSITIVE' ORDER BY 1) AS found,
                     c.concerns
                FROM drug_check_sample c JOIN site s ON s.org_id = c.org_id AND s.id = c.site_id
               WHERE c.taken_at >= ?::date - 2 AND c.taken_at < ?::date + 2) b
             WHERE b.d >= ? AND b.d < ?""";

    private static final List<String> INCIDENT_VALUES = List.of("location", "kind", "substances", "mode", "naloxoneDoses",
            "naloxoneRoute", "oxygen", "rescueBreathing", "bagValveMask", "peerNaloxoneBeforeStaff", "emsCalled", "emsAttended",
            "policeAttended", "outcome", "flailingInSmallSpace", "debriefedWithin72h");
    private static final List<String> DRUG_CHECK_VALUES = List.of("expected", "sampleKind", "methods", "substancesFound",
            "concerns");

    private Outcome personLevel(Connection c, Job job, ProjectKeys.Pseudonyms ids, RecordWriter writer, Progress progress)
            throws SQLException {
        String base = job.dataset() == Dataset.INCIDENTS ? INCIDENTS : DRUG_CHECKS;
        // Counts of the finest combinations over the project's window: at most one per site and week.
        Map<Finest, Long> finest = new HashMap<>();
        long total = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT org_id, site_id::text, province, site_kind, "
                + "date_trunc('week', d)::date, date_trunc('month', d)::date, count(*) FROM (" + base + ") f "
                + "GROUP BY 1, 2, 3, 4, 5, 6")) {
            bindWindow(q, 1, job.projectFrom(), job.projectToExclusive());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(7);
                    finest.put(new Finest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class)), n);
                    total += n;
                }
            }
        }
        // A combination is rare when it has fewer than k rows or, unless the project may tell sites apart,
        // fewer than min-sites sites: otherwise an organization with one site of a kind in a province shows it.
        // The project's first file of the dataset chose the generalization; later ones keep it, so that data
        // arriving since cannot flip it and publish rows an earlier file of the same quarter suppressed.
        // Otherwise the least general node that loses at most max-suppression of the rows, or the one losing fewest.
        int minSites = job.keepSite() ? 1 : this.minSites;
        Generalization chosen = null;
        Set<String> rare = null;
        long fewest = Long.MAX_VALUE;
        for (Generalization g : job.fixed() != null ? List.of(job.fixed()) : Generalization.lattice(job.grain())) {
            Map<String, Tally> classes = new HashMap<>();
            finest.forEach((key, n) -> classes.computeIfAbsent(key.classKey(g, job.keepSite()), x -> new Tally()).add(n, key.site()));
            Set<String> under = new HashSet<>();
            long lost = 0;
            for (Map.Entry<String, Tally> e : classes.entrySet()) {
                if (e.getValue().rows < job.k() || e.getValue().sites < minSites) {
                    under.add(e.getKey());
                    lost += e.getValue().rows;
                }
            }
            if (lost < fewest) {
                chosen = g;
                rare = under;
                fewest = lost;
            }
            if (lost <= maxSuppression * total) {
                break;
            }
        }
        // What of it falls in the request's window (whole months: a row's month says whether it is in; by week,
        // whole weeks only: a week cut by a quarter's edge would date its rows to the day).
        Windows.Window window = Windows.of(chosen.period(), job.from(), job.toExclusive());
        long inWindow = 0;
        long suppressedInWindow = 0;
        for (Map.Entry<Finest, Long> e : finest.entrySet()) {
            if (window.holds(chosen.period(), e.getKey().week(), e.getKey().month())) {
                inWindow += e.getValue();
                if (rare.contains(e.getKey().classKey(chosen, job.keepSite()))) {
                    suppressedInWindow += e.getValue();
                }
            }
        }
        progress.expected(inWindow - suppressedInWindow);

        List<String> header = new ArrayList<>(List.of("organization"));
        if (job.keepSite()) {
            header.add("site");
        }
        header.addAll(List.of("province", "siteKind", "period"));
        header.addAll(job.dataset() == Dataset.INCIDENTS ? INCIDENT_VALUES : DRUG_CHECK_VALUES);
        writer.header(header);

        String salt = ids.orderSalt();
        long written = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT * FROM (" + base + ") r ORDER BY "
                + chosen.period().sqlStart("r.d") + ", md5(? || r.row_id)")) {
            // Within a period, an order no one can predict: the rows of one site are not kept together.
            int next = bindWindow(q, 1, window.from(), window.toExclusive());
            q.setString(next, salt);
            q.setFetchSize(FETCH);
            Map<String, String> orgs = new HashMap<>();
            Map<String, String> sites = new HashMap<>();
            Object[] row = new Object[header.size()];
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String org = rs.getString("org_id");
                    String site = rs.getString("site_id");
                    String province = rs.getString("province");
                    String kind = rs.getString("site_kind");
                    LocalDate d = rs.getObject("d", LocalDate.class);
                    String period = chosen.period().label(d);
                    String siteKind = chosen.kindGroup() ? Generalization.kindGroup(kind) : kind;
                    String key = classKey(chosen, job.keepSite(), org, site, province, siteKind, period);
                    if (rare.contains(key)) {
                        continue;
                    }
                    int i = 0;
                    row[i++] = chosen.organizationRemoved() ? null : orgs.computeIfAbsent(org, o -> ids.of("O-", "organization", o));
                    if (job.keepSite()) {
                        row[i++] = site == null ? null : sites.computeIfAbsent(site, s -> ids.of("S-", "site", s));
                    }
                    row[i++] = province;
                    row[i++] = siteKind;
                    row[i++] = period;
                    if (job.dataset() == Dataset.INCIDENTS) {
                        incidentValues(rs, row, i);
                    } else {
                        drugCheckValues(rs, row, i);
                    }
                    writer.row(row);
                    if (++written % FETCH == 0) {
                        progress.written(written);
                    }
                }
            }
        }
        writer.finish();
        progress.written(written);
        Map<String, String> applied = chosen.describe();
        applied.put("site", job.keepSite() ? "pseudonym" : "removed");
        return new Outcome(written, suppressedInWindow, 0, applied, header);
    }

    /** Rows of a combination and how many sites they come from (counted up to two). */
    private static final class Tally {
        long rows;
        int sites;
        private String first;

        void add(long n, String site) {
            rows += n;
            if (sites == 0) {
                first = site;
                sites = 1;
            } else if (sites == 1 && !java.util.Objects.equals(first, site)) {
                sites = 2;
            }
        }
    }

    /** A combination as the counting pass reads it, before any generalization. */
    private record Finest(String org, String site, String province, String kind, LocalDate week, LocalDate month) {
        String classKey(Generalization g, boolean keepSite) {
            String period = g.period() == Periods.WEEK ? Periods.WEEK.label(week) : g.period().label(month);
            return ExtractRunner.classKey(g, keepSite, org, site, province, g.kindGroup() ? Generalization.kindGroup(kind) : kind,
                    period);
        }
    }

    private static String classKey(Generalization g, boolean keepSite, String org, String site, String province,
            String siteKind, String period) {
        return (g.organizationRemoved() ? "*" : org) + '|' + (keepSite ? site : "") + '|' + province + '|' + siteKind + '|'
                + period;
    }

    private int bindWindow(PreparedStatement q, int first, LocalDate from, LocalDate toExclusive) throws SQLException {
        q.setString(first, zone.getId());
        q.setObject(first + 1, from);
        q.setObject(first + 2, toExclusive);
        q.setObject(first + 3, from);
        q.setObject(first + 4, toExclusive);
        return first + 5;
    }

    private static void incidentValues(ResultSet rs, Object[] row, int i) throws SQLException {
        row[i++] = rs.getString("location");
        row[i++] = rs.getString("kind");
        row[i++] = joined(rs.getArray("substances"));
        row[i++] = rs.getString("mode");
        int doses = rs.getInt("naloxone_doses");
        row[i++] = rs.wasNull() ? null : doses >= 3 ? "3+" : Integer.toString(doses);
        row[i++] = rs.getString("naloxone_route");
        row[i++] = flag(rs, "oxygen");
        row[i++] = flag(rs, "rescue_breathing");
        row[i++] = flag(rs, "bag_valve_mask");
        row[i++] = flag(rs, "peer_naloxone_before_staff");
        row[i++] = flag(rs, "ems_called");
        row[i++] = flag(rs, "ems_attended");
        row[i++] = flag(rs, "police_attended");
        row[i++] = rs.getString("outcome");
        row[i++] = flag(rs, "flailing_in_small_space");
        row[i] = flag(rs, "debriefed");
    }

    private static void drugCheckValues(ResultSet rs, Object[] row, int i) throws SQLException {
        row[i++] = rs.getString("expected");
        row[i++] = rs.getString("sample_kind");
        row[i++] = joined(rs.getArray("methods"));
        row[i++] = joined(rs.getArray("found"));
        row[i] = joined(rs.getArray("concerns"));
    }

    private static Boolean flag(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    /** A list as one field: sorted, semicolon-separated, so that the same set is always written the same way. */
    private static String joined(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        TreeSet<String> sorted = new TreeSet<>();
        for (Object v : values) {
            if (v != null) {
                sorted.add(v.toString());
            }
        }
        return String.join(";", sorted);
    }

    // ---- visits: site-periods, counts under k suppressed ----

    /** A breakdown of visit days (a jsonb column) published as counts named prefix + Key, adding up to at most one figure. */
    private record VisitGroup(String column, String prefix, List<String> keys) {
        List<String> names() {
            return keys.stream().map(k -> prefix + Character.toUpperCase(k.charAt(0)) + k.substring(1)).toList();
        }
    }

    private static final List<VisitGroup> VISIT_GROUPS = List.of(
            new VisitGroup("by_mode", "mode", List.of("injection", "inhalation", "intranasal", "oral")),
            new VisitGroup("by_substance", "substance", List.of("fentanyl", "otherOpioid", "methamphetamine", "cocaine",
                    "otherStimulant", "benzodiazepine", "other")),
            new VisitGroup("referrals", "referral", List.of("treatment", "housing", "healthCare", "socialServices")),
            new VisitGroup("turned_away", "turnedAway", List.of("full", "unableToSelfInject", "youth")));

    /** The counts of a visits row: visits, then every group's. */
    static final List<String> VISIT_COUNTS = java.util.stream.Stream.concat(java.util.stream.Stream.of("visits"),
            VISIT_GROUPS.stream().flatMap(g -> g.names().stream())).toList();

    private Outcome visits(Connection c, Job job, ProjectKeys.Pseudonyms ids, RecordWriter writer, Progress progress)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT v.org_id, v.site_id::text AS site_id, s.province, s.kind AS site_kind, ")
                .append(job.grain().sqlStart("v.day")).append("::date AS d, count(*) AS days, max(v.unique_clients) AS busiest, ")
                .append("sum(v.visits) AS visits");
        int n = 1;
        for (VisitGroup group : VISIT_GROUPS) {
            for (String key : group.keys()) {
                sql.append(", sum((v.").append(group.column()).append(" ->> '").append(key).append("')::bigint) AS c").append(n++);
            }
        }
        sql.append(" FROM visit_day v JOIN site s ON s.org_id = v.org_id AND s.id = v.site_id WHERE v.day >= ? AND v.day < ?")
                .append(" GROUP BY 1, 2, 3, 4, 5 ORDER BY 5, md5(? || ").append(job.grain().sqlStart("v.day"))
                .append("::date || v.org_id || v.site_id::text)");
        // Within a period, sites in an order that changes from one period to the next: a row's place names no site.
        List<String> header = new ArrayList<>(List.of("organization"));
        if (job.keepSite()) {
            header.add("site");
        }
        header.addAll(List.of("province", "siteKind", "period", "daysReported", "uniqueClientsBusiestDay"));
        header.addAll(VISIT_COUNTS);
        writer.header(header);
        long written = 0;
        long cells = 0;
        Windows.Window window = Windows.of(job.grain(), job.from(), job.toExclusive());
        try (PreparedStatement q = c.prepareStatement(sql.toString())) {
            q.setObject(1, window.from());
            q.setObject(2, window.toExclusive());
            q.setString(3, ids.orderSalt());
            q.setFetchSize(FETCH);
            Map<String, String> orgs = new HashMap<>();
            Map<String, String> sites = new HashMap<>();
            int first = header.indexOf("visits");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[header.size()];
                    int i = 0;
                    row[i++] = orgs.computeIfAbsent(rs.getString("org_id"), o -> ids.of("O-", "organization", o));
                    if (job.keepSite()) {
                        row[i++] = sites.computeIfAbsent(rs.getString("site_id"), s -> ids.of("S-", "site", s));
                    }
                    row[i++] = rs.getString("province");
                    row[i++] = rs.getString("site_kind");
                    row[i++] = job.grain().label(rs.getObject("d", LocalDate.class));
                    row[i++] = rs.getLong("days");
                    long busiest = rs.getLong("busiest");
                    row[i++] = rs.wasNull() ? null : busiest;
                    row[first] = rs.getLong("visits");
                    for (int f = 1; f < VISIT_COUNTS.size(); f++) {
                        long value = rs.getLong("c" + f);
                        row[first + f] = rs.wasNull() ? null : value;
                    }
                    cells += suppressSmall(row, first, header, job.k());
                    writer.row(row);
                    if (++written % FETCH == 0) {
                        progress.written(written);
                    }
                }
            }
        }
        writer.finish();
        progress.written(written);
        Map<String, String> applied = new LinkedHashMap<>();
        applied.put("period", job.grain().wire);
        applied.put("site", job.keepSite() ? "pseudonym" : "removed");
        applied.put("counts", "under-k-suppressed");
        return new Outcome(written, 0, cells, applied, header);
    }

    /**
     * Hides every count from 1 to k-1 (the busiest day's unique clients too), then, in each group of counts
     * that add up to one figure, a second count where only one is hidden: the smallest non-zero one left.
     */
    private static long suppressSmall(Object[] row, int first, List<String> header, int k) {
        long hidden = 0;
        int busiest = header.indexOf("uniqueClientsBusiestDay");
        if (row[busiest] instanceof Long v && v > 0 && v < k) {
            row[busiest] = null;
            hidden++;
        }
        // Null already means "not reported"; which cells are suppressed is kept apart.
        boolean[] suppressed = new boolean[VISIT_COUNTS.size()];
        for (int i = 0; i < suppressed.length; i++) {
            if (row[first + i] instanceof Long v && v > 0 && v < k) {
                row[first + i] = null;
                suppressed[i] = true;
                hidden++;
            }
        }
        for (VisitGroup group : VISIT_GROUPS) {
            int hiddenInGroup = 0;
            int smallest = -1;
            for (String name : group.names()) {
                int i = VISIT_COUNTS.indexOf(name);
                if (suppressed[i]) {
                    hiddenInGroup++;
                } else if (row[first + i] instanceof Long v && v > 0 && (smallest < 0 || v < (Long) row[first + smallest])) {
                    smallest = i;
                }
            }
            if (hiddenInGroup == 1 && smallest >= 0) {
                row[first + smallest] = null;
                suppressed[smallest] = true;
                hidden++;
            }
        }
        return hidden;
    }

    // ---- resiliency: team-months of 5 respondents or more ----

    private Outcome resiliency(Connection c, Job job, ProjectKeys.Pseudonyms ids, RecordWriter writer, Progress progress)
            throws SQLException {
        List<String> header = List.of("organization", "team", "period", "respondents", "compassionSatisfaction", "burnout",
                "secondaryTraumaticStress", "trainingSessions", "trainingAttendees");
        writer.header(header);
        long written = 0;
        try (PreparedStatement q = c.prepareStatement("""
                SELECT r.org_id, r.team, r.month, (r.pulse ->> 'respondents')::int AS respondents,
                       (r.pulse ->> 'compassionSatisfaction')::numeric AS cs, (r.pulse ->> 'burnout')::numeric AS bo,
                       (r.pulse ->> 'secondaryTraumaticStress')::numeric AS sts,
                       (SELECT sum((t ->> 'sessions')::int) FROM jsonb_array_elements(r.trainings) t) AS sessions,
                       (SELECT sum((t ->> 'attendees')::int) FROM jsonb_array_elements(r.trainings) t) AS attendees
                  FROM resiliency_month r
                 WHERE r.month >= ? AND r.month < ? AND (r.pulse ->> 'respondents')::int >= 5
                 ORDER BY r.month, md5(? || r.month || r.org_id || '/' || r.team)""")) {
            q.setObject(1, job.from());
            q.setObject(2, job.toExclusive());
            q.setString(3, ids.orderSalt());
            q.setFetchSize(FETCH);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String org = rs.getString("org_id");
                    long sessions = rs.getLong("sessions");
                    boolean noSessions = rs.wasNull();
                    long attendees = rs.getLong("attendees");
                    boolean noAttendees = rs.wasNull();
                    writer.row(new Object[] {ids.of("O-", "organization", org), ids.of("T-", "team", org + "/" + rs.getString("team")),
                            Periods.MONTH.label(rs.getObject("month", LocalDate.class)), rs.getLong("respondents"),
                            oneDecimal(rs.getBigDecimal("cs")), oneDecimal(rs.getBigDecimal("bo")), oneDecimal(rs.getBigDecimal("sts")),
                            noSessions ? 0L : sessions, noAttendees ? 0L : attendees});
                    progress.written(++written);
                }
            }
        }
        writer.finish();
        Map<String, String> applied = new LinkedHashMap<>();
        applied.put("period", "month");
        applied.put("team", "pseudonym");
        applied.put("respondents", "at-least-5");
        return new Outcome(written, 0, 0, applied, header);
    }

    private static BigDecimal oneDecimal(BigDecimal value) {
        return value == null ? null : value.setScale(1, RoundingMode.HALF_EVEN);
    }

    // ---- summary: a two-way table of incidents with its totals, small cells suppressed ----

    private Outcome summary(Connection c, Job job, RecordWriter writer, Progress progress) throws SQLException {
        String rowsExpr = dimension(job.rows(), job.grain());
        String columnsExpr = dimension(job.columns(), job.grain());
        // Every cell and margin with its count and the number of sites behind it (an outreach team counts as one).
        TreeMap<String, Map<String, long[]>> counts = new TreeMap<>();
        TreeSet<String> columnValues = new TreeSet<>();
        Map<String, long[]> rowTotals = new HashMap<>();
        Map<String, long[]> columnTotals = new HashMap<>();
        long[] grand = {0, 0};
        try (PreparedStatement q = c.prepareStatement("SELECT r, col, GROUPING(r), GROUPING(col), count(*), count(DISTINCT site) FROM ("
                + "SELECT " + rowsExpr + " AS r, " + columnsExpr + " AS col, coalesce(b.site_id::text, b.org_id) AS site FROM ("
                + INCIDENTS + ") b) x GROUP BY GROUPING SETS ((r, col), (r), (col), ())")) {
            Windows.Window window = Windows.of(job.grain(), job.from(), job.toExclusive());
            bindWindow(q, 1, window.from(), window.toExclusive());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    boolean allRows = rs.getInt(3) == 1;
                    boolean allColumns = rs.getInt(4) == 1;
                    long[] figures = {rs.getLong(5), rs.getLong(6)};
                    String r = allRows ? null : label(job.rows(), job.grain(), rs.getObject(1));
                    String col = allColumns ? null : label(job.columns(), job.grain(), rs.getObject(2));
                    if (allRows && allColumns) {
                        grand = figures;
                    } else if (allRows) {
                        columnTotals.put(col, figures);
                    } else if (allColumns) {
                        rowTotals.put(r, figures);
                    } else {
                        counts.computeIfAbsent(r, x -> new HashMap<>()).put(col, figures);
                        columnValues.add(col);
                    }
                }
            }
        }
        List<String> rowLabels = new ArrayList<>(counts.keySet());
        List<String> columnLabels = new ArrayList<>(columnValues);
        List<String> header = new ArrayList<>();
        header.add(job.rows());
        header.addAll(columnLabels);
        header.add("total");
        writer.header(header);
        if (rowLabels.isEmpty()) {
            writer.finish();
            return new Outcome(0, 0, 0, Map.of("period", job.grain().wire, "cells", "under-k-suppressed"), header);
        }
        int rows = rowLabels.size();
        int columns = columnLabels.size();
        long[][] cells = new long[rows][columns];
        long[][] sites = new long[rows + 1][columns + 1];
        for (int r = 0; r < rows; r++) {
            Map<String, long[]> row = counts.get(rowLabels.get(r));
            for (int col = 0; col < columns; col++) {
                long[] figures = row.getOrDefault(columnLabels.get(col), new long[] {0, 0});
                cells[r][col] = figures[0];
                sites[r][col] = figures[1];
            }
            sites[r][columns] = rowTotals.get(rowLabels.get(r))[1];
        }
        for (int col = 0; col < columns; col++) {
            sites[rows][col] = columnTotals.get(columnLabels.get(col))[1];
        }
        sites[rows][columns] = grand[1];
        long[][] table = CellSuppression.withTotals(cells, columns);
        // Primary: a count from 1 to k-1, or, unless the project may tell sites apart, from a single site.
        boolean[][] primary = new boolean[rows + 1][columns + 1];
        for (int r = 0; r <= rows; r++) {
            for (int col = 0; col <= columns; col++) {
                long n = table[r][col];
                primary[r][col] = n > 0 && (n < job.k() || (!job.keepSite() && sites[r][col] < minSites));
            }
        }
        boolean[][] hidden = CellSuppression.suppress(table, primary);
        long suppressed = 0;
        progress.expected(table.length);
        for (int r = 0; r < table.length; r++) {
            Object[] out = new Object[header.size()];
            out[0] = r < rowLabels.size() ? rowLabels.get(r) : "total";
            for (int col = 0; col < table[r].length; col++) {
                if (hidden[r][col]) {
                    suppressed++;
                } else {
                    out[col + 1] = table[r][col];
                }
            }
            writer.row(out);
            progress.written(r + 1);
        }
        writer.finish();
        Map<String, String> applied = new LinkedHashMap<>();
        applied.put("period", job.grain().wire);
        applied.put("cells", "under-k-suppressed-with-secondary");
        return new Outcome(table.length, 0, suppressed, applied, header);
    }

    private static String dimension(String name, Periods grain) {
        return switch (name) {
            case "province" -> "coalesce(b.province, 'NONE')";
            case "siteKind" -> "coalesce(b.site_kind, 'NONE')";
            case "period" -> grain.sqlStart("b.d") + "::date";
            case "kind" -> "b.kind";
            case "outcome" -> "coalesce(b.outcome, 'NOT_RECORDED')";
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String label(String dimension, Periods grain, Object value) {
        return "period".equals(dimension) ? grain.label(((java.sql.Date) value).toLocalDate()) : value.toString();
    }
}
