import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * make bench-trends, the query half: 20 typical dashboard queries through the API with a real coordinator
 * token, each timed REPS times, against the same answers computed by a plain GROUP BY over the base tables
 * (visit days, incidents, samples: no rollup) in the same run, timed BASE_REPS times, and a check that the
 * two give the same numbers for every row and measure.
 *
 * The baseline is what the coordinator's queries would cost without rollups: the same grouping and the same
 * site and organization joins, over per-site-period sums computed on the fly from the write tables, through a
 * role that bypasses row-level security (made by the benchmark for this only). Its measures are computed
 * here from those sums with the definitions of GET /v1/network/measures.
 *
 * Usage: java -cp CLASSPATH TrendsBench.java API_URL JDBC_URL USER PASSWORD TOKEN REPS BASE_REPS YESTERDAY
 * Prints a Markdown table; exits 1 when any answer differs.
 */
public class TrendsBench {

    static final String NIL = "'00000000-0000-0000-0000-000000000000'::uuid";
    static final String PROVINCE = "coalesce(s.province, CASE WHEN cardinality(o.provinces) = 1 THEN o.provinces[1] END)";
    static final String HEADLINE = "visits,overdoses,overdosesPer1000Visits,naloxoneShare,emsCalledShare,deaths,debriefedWithin72hShare,"
            + "completeness,drugCheckSamples";

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String token = args[4];
        int reps = Integer.parseInt(args[5]);
        int baseReps = Integer.parseInt(args[6]);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        List<String> allMeasures = new ArrayList<>();
        json.readTree(get(http, api + "/v1/network/measures", token)).path("measures").forEach(m -> allMeasures.add(m.path("name").asText()));
        LocalDate yesterday = LocalDate.parse(args.length > 7 ? args[7] : LocalDate.now().minusDays(1).toString());
        String last = yesterday.withDayOfMonth(1).minusMonths(1).toString().substring(0, 7);
        String yearBefore = yesterday.withDayOfMonth(1).minusMonths(13).toString().substring(0, 7);
        String first = yesterday.minusYears(3).plusMonths(1).toString().substring(0, 7);
        List<String> queries = List.of(
                "measures=visits,overdoses,overdosesPer1000Visits&by=month&period=LAST_12_MONTHS",
                "measures=" + HEADLINE + "&by=month&from=" + yearBefore + "&to=" + last,
                "measures=" + HEADLINE + "&by=month&from=" + yearBefore + "&to=" + last + "&province=CA-ON",
                "measures=visits,overdosesPer1000Visits&by=month&from=" + yearBefore + "&to=" + last + "&siteKind=SCS",
                "measures=visits,overdoses,overdosesPer1000Visits,naloxoneShare,deaths,sitesOpen,completeness&by=province&from=" + last + "&to=" + last,
                "measures=visits,overdoses&by=month,province&period=LAST_12_MONTHS",
                "measures=visits,overdoses,overdosesPer1000Visits&by=week&period=LAST_12_MONTHS",
                "measures=overdoses,naloxoneShare&by=week,province&period=THIS_YEAR",
                "measures=visits,overdoses,transportedShare&by=quarter,siteKind&from=" + first + "&to=" + last,
                "measures=visits,overdoses,deaths&by=year,organization&from=" + first + "&to=" + last,
                "measures=visits,overdosesPer1000Visits&by=healthRegion&province=CA-BC,CA-AB&period=LAST_YEAR",
                "measures=visits,overdoses,emsCalledShare&by=month&organization=riverside&period=LAST_12_MONTHS",
                "measures=drugCheckSamples,samplesWithXylazineShare,samplesWithBenzodiazepineShare&by=month,province&period=LAST_12_MONTHS",
                "measures=drugCheckSamples,samplesWithNitazeneShare,samplesWithCarfentanilShare&by=week&period=LAST_12_MONTHS",
                "measures=deaths,debriefedWithin72hShare&by=quarter,province&from=" + first + "&to=" + last,
                "measures=visits,overdoses&by=month&service=DRUG_CHECKING_FTIR&period=LAST_12_MONTHS",
                "measures=" + String.join(",", allMeasures) + "&from=" + first + "&to=" + last,
                "measures=visits,overdoses,overdosesPer1000Visits&by=siteKind&period=LAST_YEAR",
                "measures=visits,naloxoneShare&by=month,siteKind&province=CA-QC,CA-NS&period=THIS_YEAR",
                "measures=sitesOpen,sitesReporting,completeness&by=month,province&period=LAST_12_MONTHS");

        List<Double> apiAll = new ArrayList<>();
        List<Double> baseAll = new ArrayList<>();
        int mismatches = 0;
        StringBuilder table = new StringBuilder("| # | query | rows | API p50 / p95 ms | GROUP BY p50 / p95 ms | p50 ratio | same numbers |\n|---|---|---|---|---|---|---|\n");
        try (Connection c = DriverManager.getConnection(args[1], args[2], args[3])) {
            c.setReadOnly(true);
            for (int n = 0; n < queries.size(); n++) {
                String query = queries.get(n);
                String url = api + "/v1/network/trends?" + query;
                JsonNode answer = json.readTree(get(http, url, token)); // warm-up, and the answer checked
                for (int i = 0; i < 2; i++) {
                    get(http, url, token);
                }
                List<Double> apiTimes = new ArrayList<>();
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    get(http, url, token);
                    apiTimes.add((System.nanoTime() - t0) / 1e6);
                }
                Baseline baseline = null;
                List<Double> baseTimes = new ArrayList<>();
                for (int i = 0; i < baseReps; i++) {
                    long t0 = System.nanoTime();
                    baseline = Baseline.compute(c, answer, filters(query));
                    baseTimes.add((System.nanoTime() - t0) / 1e6);
                }
                List<String> differences = compare(answer, baseline);
                mismatches += differences.isEmpty() ? 0 : 1;
                int number = n + 1;
                differences.stream().limit(5).forEach(d -> System.err.println("query " + number + ": " + d));
                apiAll.addAll(apiTimes);
                baseAll.addAll(baseTimes);
                table.append(String.format(Locale.ROOT, "| %d | `%s` | %d | %.1f / %.1f | %.0f / %.0f | %.0f× | %s |%n", n + 1,
                        query.length() > 110 ? query.substring(0, 107) + "..." : query, answer.path("rows").size(),
                        pct(apiTimes, 50), pct(apiTimes, 95), pct(baseTimes, 50), pct(baseTimes, 95),
                        pct(baseTimes, 50) / pct(apiTimes, 50), differences.isEmpty() ? "yes" : "NO (" + differences.size() + ")"));
            }
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "%nAll %d queries: API p50 %.1f ms, p95 %.1f ms (%d requests); plain GROUP BY p50 %.0f ms, p95 %.0f ms (%d runs); "
                + "ratio of p50 %.0f×, of p95 %.0f×; answers that differ: %d%n", queries.size(), pct(apiAll, 50), pct(apiAll, 95), apiAll.size(),
                pct(baseAll, 50), pct(baseAll, 95), baseAll.size(), pct(baseAll, 50) / pct(apiAll, 50), pct(baseAll, 95) / pct(apiAll, 95), mismatches);
        System.exit(mismatches == 0 ? 0 : 1);
    }

    static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept-Language", "en").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static double pct(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** Every API row against the baseline's value of each measure; every baseline row must be in the answer. */
    static List<String> compare(JsonNode answer, Baseline baseline) {
        List<String> by = new ArrayList<>();
        answer.path("by").forEach(b -> by.add(b.asText()));
        List<String> differences = new ArrayList<>();
        Map<List<String>, Sums> left = new HashMap<>(baseline.rows);
        for (JsonNode row : answer.path("rows")) {
            List<String> key = new ArrayList<>();
            by.forEach(b -> key.add(row.path(b).isNull() ? null : row.path(b).asText()));
            Sums sums = left.remove(key);
            for (JsonNode m : answer.path("measures")) {
                Number expected = measure(m.asText(), sums == null ? new Sums() : sums);
                JsonNode got = row.path(m.asText());
                boolean same = expected == null ? got.isNull()
                        : got.isNumber() && BigDecimal.valueOf(got.asDouble()).compareTo(BigDecimal.valueOf(expected.doubleValue())) == 0;
                if (!same) {
                    differences.add(key + " " + m.asText() + ": API " + got + ", GROUP BY " + expected);
                }
            }
        }
        left.forEach((key, sums) -> {
            if (sums.rows > 0 || sums.sitesOpen > 0) {
                differences.add(key + ": in the GROUP BY only");
            }
        });
        return differences;
    }

    /** The definitions of GET /v1/network/measures, over the baseline's sums. */
    static Number measure(String name, Sums s) {
        if (name.startsWith("samplesWith")) {
            String substance = name.substring("samplesWith".length(), name.length() - "Share".length())
                    .replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            return ratio(s.samplesWith.getOrDefault(substance, 0L), s.samples, 1, 4);
        }
        Long count = s.rows == 0 ? null : 0L;
        return switch (name) {
            case "visits" -> s.visitDays == 0 ? null : s.visits;
            case "overdoses" -> count == null ? null : s.overdoses;
            case "overdosesPer1000Visits" -> s.visitDays == 0 ? null : ratio(s.overdosesAtSites, s.visits, 1000, 2);
            case "naloxoneShare" -> ratio(s.naloxone, s.overdoses, 1, 4);
            case "emsCalledShare" -> ratio(s.emsCalled, s.overdoses, 1, 4);
            case "transportedShare" -> ratio(s.transported, s.overdoses, 1, 4);
            case "deaths" -> count == null ? null : s.deaths;
            case "debriefedWithin72hShare" -> ratio(s.debriefed, s.critical, 1, 4);
            case "sitesOpen" -> s.sitesOpen;
            case "sitesReporting" -> s.sitesReporting;
            case "completeness" -> ratio(s.sitePeriodsReporting, s.sitePeriodsOpen, 1, 4);
            case "drugCheckSamples" -> count == null ? null : s.samples;
            default -> throw new IllegalArgumentException("no baseline for measure " + name);
        };
    }

    static Double ratio(long numerator, long denominator, long scale, int decimals) {
        return denominator == 0 ? null : BigDecimal.valueOf(numerator).multiply(BigDecimal.valueOf(scale))
                .divide(BigDecimal.valueOf(denominator), decimals, RoundingMode.HALF_UP).doubleValue();
    }

    static class Sums {
        long rows, visitDays, visits, overdoses, overdosesAtSites, naloxone, emsCalled, transported, deaths, critical, debriefed,
                samples, sitesReporting, sitePeriodsReporting, sitesOpen, sitePeriodsOpen;
        final Map<String, Long> samplesWith = new HashMap<>();
    }

    /** The answer of one trend query computed from the write tables. */
    static class Baseline {
        final Map<List<String>, Sums> rows = new LinkedHashMap<>();

        static Baseline compute(Connection c, JsonNode answer, Map<String, List<String>> filters) throws Exception {
            List<String> by = new ArrayList<>();
            answer.path("by").forEach(b -> by.add(b.asText()));
            boolean weekly = by.contains("week");
            LocalDate from = LocalDate.parse(answer.path("from").asText());
            LocalDate to = LocalDate.parse(answer.path("to").asText());
            LocalDate firstPeriod = weekly ? from.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)) : from.withDayOfMonth(1);
            LocalDate lastPeriod = weekly ? to.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)) : to.withDayOfMonth(1);
            LocalDate lastDay = weekly ? lastPeriod.plusDays(6) : lastPeriod.plusMonths(1).minusDays(1);
            String unit = weekly ? "week" : "month";
            Baseline b = new Baseline();

            String local = "date_trunc('" + unit + "', (%s AT TIME ZONE coalesce(st.time_zone, 'UTC')))::date";
            String perSitePeriod = """
                    SELECT org_id, site_id, period, sum(visit_days) AS visit_days, sum(visits) AS visits, sum(overdoses) AS overdoses,
                           sum(naloxone) AS naloxone, sum(ems) AS ems, sum(transported) AS transported, sum(deaths) AS deaths,
                           sum(critical) AS critical, sum(debriefed) AS debriefed, sum(samples) AS samples
                      FROM (SELECT v.org_id, v.site_id, date_trunc('{unit}', v.day)::date AS period, 1 AS visit_days, v.visits::bigint AS visits,
                                   0 AS overdoses, 0 AS naloxone, 0 AS ems, 0 AS transported, 0 AS deaths, 0 AS critical, 0 AS debriefed, 0 AS samples
                              FROM visit_day v WHERE v.day BETWEEN ? AND ?
                            UNION ALL
                            SELECT i.org_id, coalesce(i.site_id, {nil}), {incidentPeriod}, 0, 0,
                                   (i.kind = 'OVERDOSE')::int, (i.kind = 'OVERDOSE' AND coalesce(i.naloxone_doses, 0) > 0)::int,
                                   (i.kind = 'OVERDOSE' AND coalesce(i.ems_called, false))::int,
                                   (i.kind = 'OVERDOSE' AND i.outcome IS NOT DISTINCT FROM 'TRANSPORTED')::int,
                                   (i.outcome IS NOT DISTINCT FROM 'DEATH')::int,
                                   (i.kind IN ('OVERDOSE', 'DRUG_EMERGENCY') OR i.outcome IS NOT DISTINCT FROM 'DEATH')::int,
                                   ((i.kind IN ('OVERDOSE', 'DRUG_EMERGENCY') OR i.outcome IS NOT DISTINCT FROM 'DEATH')
                                    AND coalesce(i.debrief_held, false) AND coalesce(i.debrief_at <= i.occurred_at + interval '72 hours', false))::int,
                                   0
                              FROM incident i LEFT JOIN site st ON st.org_id = i.org_id AND st.id = i.site_id
                             WHERE i.occurred_at >= ?::date - 1 AND i.occurred_at < ?::date + 2
                            UNION ALL
                            SELECT d.org_id, d.site_id, {samplePeriod}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
                              FROM drug_check_sample d JOIN site st ON st.org_id = d.org_id AND st.id = d.site_id
                             WHERE d.taken_at >= ?::date - 1 AND d.taken_at < ?::date + 2) x
                     WHERE period BETWEEN ? AND ?
                     GROUP BY org_id, site_id, period
                    HAVING sum(visit_days) <> 0 OR sum(overdoses) <> 0 OR sum(deaths) <> 0 OR sum(critical) <> 0 OR sum(samples) <> 0"""
                    .replace("{unit}", unit).replace("{nil}", NIL)
                    .replace("{incidentPeriod}", String.format(local, "i.occurred_at"))
                    .replace("{samplePeriod}", String.format(local, "d.taken_at"));
            String open = String.format("s.status <> 'PLANNED' AND (s.opened_on IS NULL OR s.opened_on <= %2$s) "
                    + "AND (s.closed_on IS NULL OR s.closed_on >= %1$s)", "r.period",
                    weekly ? "(r.period + 6)" : "(r.period + interval '1 month' - interval '1 day')::date");
            run(c, b, by, "r.period", "r.org_id", filters, """
                    SELECT {dims}, count(*), sum(r.visit_days), sum(r.visits), sum(r.overdoses),
                           coalesce(sum(r.overdoses) FILTER (WHERE r.site_id <> {nil} AND r.visit_days > 0), 0), sum(r.naloxone), sum(r.ems),
                           sum(r.transported), sum(r.deaths), sum(r.critical), sum(r.debriefed), sum(r.samples),
                           count(DISTINCT r.site_id) FILTER (WHERE r.visit_days > 0 AND {open}), count(*) FILTER (WHERE r.visit_days > 0 AND {open})
                      FROM ({perSitePeriod}) r LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id
                      JOIN organization o ON o.slug = r.org_id
                     WHERE {filters}
                     GROUP BY {groups}""".replace("{perSitePeriod}", perSitePeriod).replace("{nil}", NIL).replace("{open}", open),
                    List.of(firstPeriod, lastDay, firstPeriod, lastDay, firstPeriod, lastDay, firstPeriod, lastPeriod), (rs, i, s) -> {
                        s.rows = rs.getLong(i++);
                        s.visitDays = rs.getLong(i++);
                        s.visits = rs.getLong(i++);
                        s.overdoses = rs.getLong(i++);
                        s.overdosesAtSites = rs.getLong(i++);
                        s.naloxone = rs.getLong(i++);
                        s.emsCalled = rs.getLong(i++);
                        s.transported = rs.getLong(i++);
                        s.deaths = rs.getLong(i++);
                        s.critical = rs.getLong(i++);
                        s.debriefed = rs.getLong(i++);
                        s.samples = rs.getLong(i++);
                        s.sitesReporting = rs.getLong(i++);
                        s.sitePeriodsReporting = rs.getLong(i);
                    });
            String periods = "SELECT g::date AS period FROM generate_series('" + firstPeriod + "'::date, '" + lastPeriod
                    + "'::date, interval '1 " + unit + "') g";
            run(c, b, by, "r.period", "s.org_id", filters, """
                    SELECT {dims}, count(DISTINCT (s.org_id, s.id)), count(*)
                      FROM site s JOIN organization o ON o.slug = s.org_id CROSS JOIN ({periods}) r
                     WHERE {open} AND {filters}
                     GROUP BY {groups}""".replace("{periods}", periods).replace("{open}", open), List.of(), (rs, i, s) -> {
                        s.sitesOpen = rs.getLong(i++);
                        s.sitePeriodsOpen = rs.getLong(i);
                    });
            run(c, b, by, "r.period", "r.org_id", filters, """
                    SELECT {dims}, r.substance, count(*)
                      FROM (SELECT d.org_id, d.site_id, {samplePeriod} AS period, u.substance
                              FROM drug_check_sample d JOIN site st ON st.org_id = d.org_id AND st.id = d.site_id,
                                   unnest(d.concerns) u(substance)
                             WHERE d.taken_at >= ?::date - 1 AND d.taken_at < ?::date + 2) r
                      LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id JOIN organization o ON o.slug = r.org_id
                     WHERE r.period BETWEEN ? AND ? AND {filters}
                     GROUP BY {groups}, r.substance""".replace("{samplePeriod}", String.format(local, "d.taken_at")),
                    List.of(firstPeriod, lastDay, firstPeriod, lastPeriod),
                    (rs, i, s) -> s.samplesWith.merge(rs.getString(i), rs.getLong(i + 1), Long::sum));
            return b;
        }

        interface Reader {
            void read(ResultSet rs, int first, Sums sums) throws Exception;
        }

        static void run(Connection c, Baseline b, List<String> by, String period, String org, Map<String, List<String>> filters,
                String sql, List<LocalDate> dates, Reader reader) throws Exception {
            List<String> dims = by.stream().map(d -> dimension(d, period, org)).toList();
            List<String> clauses = new ArrayList<>();
            List<List<String>> args = new ArrayList<>();
            filters.forEach((name, values) -> {
                clauses.add(switch (name) {
                    case "province" -> PROVINCE + " = ANY (?)";
                    case "healthRegion" -> "s.health_region = ANY (?)";
                    case "siteKind" -> "s.kind = ANY (?)";
                    case "organization" -> org + " = ANY (?)";
                    case "service" -> "EXISTS (SELECT 1 FROM offering f WHERE f.org_id = s.org_id AND f.site_id = s.id AND f.service_code = ANY (?))";
                    default -> throw new IllegalArgumentException(name);
                });
                args.add(values);
            });
            String text = sql.replace("{dims}", dims.isEmpty() ? "1" : String.join(", ", dims))
                    .replace("{groups}", dims.isEmpty() ? "()" : String.join(", ", dims))
                    .replace("{filters}", clauses.isEmpty() ? "true" : String.join(" AND ", clauses));
            try (PreparedStatement st = c.prepareStatement(text)) {
                int i = 0;
                for (LocalDate d : dates) {
                    st.setDate(++i, Date.valueOf(d));
                }
                for (List<String> values : args) {
                    Array array = c.createArrayOf("text", values.toArray());
                    st.setArray(++i, array);
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        List<String> key = new ArrayList<>();
                        for (int k = 1; k <= by.size(); k++) {
                            key.add(rs.getString(k));
                        }
                        reader.read(rs, Math.max(by.size(), 1) + 1, b.rows.computeIfAbsent(key, x -> new Sums()));
                    }
                }
            }
        }

        static String dimension(String d, String period, String org) {
            return switch (d) {
                case "week" -> "to_char(" + period + ", 'IYYY-\"W\"IW')";
                case "month" -> "to_char(" + period + ", 'YYYY-MM')";
                case "quarter" -> "to_char(" + period + ", 'YYYY-\"Q\"Q')";
                case "year" -> "to_char(" + period + ", 'YYYY')";
                case "province" -> PROVINCE;
                case "healthRegion" -> "s.health_region";
                case "siteKind" -> "s.kind";
                case "organization" -> org;
                default -> throw new IllegalArgumentException(d);
            };
        }
    }

    /** The filters of a query string (province=CA-BC,CA-AB&...). */
    static Map<String, List<String>> filters(String query) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (List.of("province", "healthRegion", "siteKind", "organization", "service").contains(kv[0])) {
                filters.put(kv[0], Arrays.asList(kv[1].split(",")));
            }
        }
        return filters;
    }
}
