package org.harbour.note;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import org.harbour.web.Cursors;
import org.harbour.web.Page;
import org.harbour.web.ProblemException;

/**
 * Ranked full-text search of notes, each note matched with its own language's configuration (accents ignored), in
 * native SQL under row-level security. The network scope reads network_note_search, which holds NETWORK notes only
 * and whose RUM indexes return the matches in rank order, then the page's notes by key under note's own policies;
 * an organization's scope reads its own notes. Both rank by the same measure (RUM's distance: lower is closer, the
 * rank shown is its inverse), ties broken by id.
 */
@ApplicationScoped
public class NoteSearch {

    /** Marks a ranked cursor as a distance (those of the earlier rank, a different scale, are refused). */
    private static final String DISTANCE_KEY = "d";

    private static final String COLUMNS = "n.id, n.org_id, n.title, n.language, n.theme, n.kind, n.tags, n.visibility, n.created_at";

    @Inject
    EntityManager entityManager;

    public record Criteria(String q, NoteEnums.Theme theme, NoteEnums.Kind kind, String tag, NoteEnums.Language language,
            String organization, Instant from, Instant to) {
    }

    private record Row(NoteHit hit, Float distance) {
    }

    /** What one search may ask of the database: every word is a posting list to read and score. */
    public static final int MAX_QUERY_CHARS = 200;
    public static final int MAX_QUERY_WORDS = 16;

    /** A search text past the bounds is a 400 naming q. */
    public static void checkQuery(String q) {
        if (q != null && (q.length() > MAX_QUERY_CHARS || q.trim().split("\\s+").length > MAX_QUERY_WORDS)) {
            throw new ProblemException(400, "validation", List.of(new ProblemException.FieldErrorKey("q", "field.search-query",
                    MAX_QUERY_CHARS, MAX_QUERY_WORDS)), "problem.validation.detail");
        }
    }

    /** Network scope: NETWORK notes of every organization. Organization scope: all of one organization's notes. */
    public Page<NoteHit> search(Criteria c, String ownOrganization, int limit, String cursor) {
        boolean ranked = c.q() != null && !c.q().isBlank();
        Map<String, Object> params = new HashMap<>();
        String sql;
        if (!ranked) {
            sql = newestFirst(c, ownOrganization, cursor, limit, params);
        } else {
            params.put("q", c.q());
            sql = ownOrganization == null ? networkRanked(c, cursor, limit, params) : organizationRanked(c, ownOrganization, cursor, limit, params);
        }
        Query query = entityManager.createNativeQuery(sql);
        params.forEach(query::setParameter);
        List<Row> rows = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            Float distance = r[10] == null ? null : ((Number) r[10]).floatValue();
            rows.add(new Row(new NoteHit((UUID) r[0], (String) r[1], (String) r[2], NoteEnums.Language.valueOf((String) r[3]),
                    NoteEnums.Theme.valueOf((String) r[4]), NoteEnums.Kind.valueOf((String) r[5]), tags(r[6]),
                    NoteEnums.Visibility.valueOf((String) r[7]), instant(r[8]), rank(distance), (String) r[9]), distance));
        }
        return Page.of(rows, limit, Row::hit, r -> ranked ? DISTANCE_KEY + r.distance() + "|" + r.hit().id() : r.hit().id().toString());
    }

    private static String newestFirst(Criteria c, String own, String cursor, int limit, Map<String, Object> params) {
        StringBuilder where = scope(own, params, "n");
        filters(c, where, params, "n");
        condition(where, params, c.language() == null ? null : c.language().name(), "n.language = :language", "language");
        if (cursor != null) {
            where.append(" AND n.id < :afterId");
            params.put("afterId", Cursors.decode(cursor, UUID::fromString));
        }
        return "SELECT " + COLUMNS + ", left(n.body, 240) AS snippet, NULL::real AS distance FROM note n"
                + where + " ORDER BY n.id DESC LIMIT " + (limit + 1);
    }

    /**
     * One ordered index scan per language, each cut at the page size but never inside a run of equal distances (WITH
     * TIES), so that the page and its cursor are exact when many notes rank alike; the page is then merged, broken by
     * id, and its notes read by key.
     */
    private static String networkRanked(Criteria c, String cursor, int limit, Map<String, Object> params) {
        List<String> branches = new ArrayList<>();
        for (NoteEnums.Language language : languages(c)) {
            StringBuilder where = new StringBuilder(" WHERE " + matches("s", language));
            filters(c, where, params, "s");
            // Written out, not taken from a subquery's column: through a subquery the planner no longer asks the
            // index for the order, and ranks every match from the heap instead.
            keyset(where, params, cursor, "s.search <=> " + tsquery(language), "s.id");
            branches.add("(SELECT s.org_id, s.id, s.search <=> " + tsquery(language) + " AS distance FROM network_note_search s"
                    + where + " ORDER BY s.search <=> " + tsquery(language) + " FETCH FIRST " + (limit + 1) + " ROWS WITH TIES)");
        }
        return "SELECT " + COLUMNS + ", " + snippet("n") + ", p.distance FROM (SELECT * FROM ("
                + String.join(" UNION ALL ", branches) + ") b ORDER BY b.distance, b.id DESC LIMIT " + (limit + 1) + ") p "
                + "JOIN note n ON n.org_id = p.org_id AND n.id = p.id AND n.visibility = 'NETWORK' ORDER BY p.distance, p.id DESC";
    }

    private static String organizationRanked(Criteria c, String own, String cursor, int limit, Map<String, Object> params) {
        StringBuilder where = scope(own, params, "n");
        List<String> matches = new ArrayList<>();
        StringBuilder distance = new StringBuilder("CASE n.language");
        for (NoteEnums.Language language : languages(c)) {
            matches.add(matches("n", language));
            distance.append(" WHEN '").append(language.name()).append("' THEN n.search <=> ").append(tsquery(language));
        }
        where.append(" AND (").append(String.join(" OR ", matches)).append(")");
        filters(c, where, params, "n");
        StringBuilder keyset = new StringBuilder(" WHERE true");
        keyset(keyset, params, cursor, "d.distance", "d.id");
        // The snippet is made after the page is cut, for its notes only.
        return "SELECT p.id, p.org_id, p.title, p.language, p.theme, p.kind, p.tags, p.visibility, p.created_at, "
                + snippet("p") + ", p.distance FROM (SELECT * FROM (SELECT " + COLUMNS + ", n.body, " + distance
                + " END AS distance FROM note n" + where + ") d" + keyset + " ORDER BY d.distance, d.id DESC LIMIT " + (limit + 1)
                + ") p ORDER BY p.distance, p.id DESC";
    }

    /** The languages searched: the one asked for, or both. */
    private static List<NoteEnums.Language> languages(Criteria c) {
        return c.language() == null ? List.of(NoteEnums.Language.values()) : List.of(c.language());
    }

    private static String tsquery(NoteEnums.Language language) {
        return "websearch_to_tsquery('public.harbour_" + language.name() + "', :q)";
    }

    /**
     * A note of that language matching q in it. The language is written out so that the planner can match the partial
     * index; a query of exclusions only (-word) would rank every note alike: it finds nothing instead of everything.
     */
    private static String matches(String alias, NoteEnums.Language language) {
        return "(" + alias + ".language = '" + language.name() + "' AND " + alias + ".search @@ " + tsquery(language)
                + " AND querytree(" + tsquery(language) + ") <> 'T')";
    }

    private static StringBuilder scope(String own, Map<String, Object> params, String alias) {
        if (own == null) {
            return new StringBuilder(" WHERE " + alias + ".visibility = 'NETWORK'");
        }
        params.put("own", own);
        return new StringBuilder(" WHERE " + alias + ".org_id = :own");
    }

    private static void filters(Criteria c, StringBuilder where, Map<String, Object> params, String a) {
        condition(where, params, c.theme() == null ? null : c.theme().name(), a + ".theme = :theme", "theme");
        condition(where, params, c.kind() == null ? null : c.kind().name(), a + ".kind = :kind", "kind");
        condition(where, params, c.tag(), ":tag = ANY (" + a + ".tags)", "tag");
        condition(where, params, c.organization(), a + ".org_id = :organization", "organization");
        condition(where, params, c.from() == null ? null : Timestamp.from(c.from()), a + ".created_at >= :from", "from");
        condition(where, params, c.to() == null ? null : Timestamp.from(c.to()), a + ".created_at < :to", "to");
    }

    /** After the cursor's note: farther, or as far with a lower id. */
    private static void keyset(StringBuilder where, Map<String, Object> params, String cursor, String distance, String id) {
        if (cursor == null) {
            return;
        }
        Object[] key = Cursors.decode(cursor, k -> {
            String[] parts = k.split("\\|");
            if (parts.length != 2 || !parts[0].startsWith(DISTANCE_KEY)) {
                throw new IllegalArgumentException(k);
            }
            float d = Float.parseFloat(parts[0].substring(DISTANCE_KEY.length()));
            if (Float.isNaN(d) || d < 0) {
                throw new IllegalArgumentException(k);
            }
            return new Object[] { d, UUID.fromString(parts[1]) };
        });
        // Compared as real, the type of the distance, so that the cursor's own note is matched exactly.
        where.append(" AND (").append(distance).append(" > CAST(:afterDistance AS real) OR (").append(distance)
                .append(" = CAST(:afterDistance AS real) AND ").append(id).append(" < :afterId))");
        params.put("afterDistance", key[0]);
        params.put("afterId", key[1]);
    }

    /** The rank shown: higher is closer, rounded so that it reads the same in every client; none without q. */
    private static BigDecimal rank(Float distance) {
        return distance == null ? null : BigDecimal.valueOf(1 / Math.max(distance.doubleValue(), 1e-9)).setScale(9, RoundingMode.HALF_UP);
    }

    /** The snippet is made for the page's notes only; it marks any of the words searched, not only passages holding all. */
    private static String snippet(String a) {
        String config = "note_search_config(" + a + ".language)";
        String query = "websearch_to_tsquery(" + config + ", :q)";
        return "ts_headline(" + config + ", " + a + ".body, CASE WHEN querytree(" + query + ") = 'T' THEN " + query
                + " ELSE to_tsquery(" + config + ", replace(querytree(" + query + "), ' & ', ' | ')) END, "
                + "'StartSel=**, StopSel=**, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter=\" … \"') AS snippet";
    }

    private static void condition(StringBuilder where, Map<String, Object> params, Object value, String clause, String name) {
        if (value != null) {
            where.append(" AND ").append(clause);
            params.put(name, value);
        }
    }

    private static List<String> tags(Object value) {
        if (value instanceof String[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof java.sql.Array array) {
            try {
                return Arrays.asList((String[]) array.getArray());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return null;
    }
}
