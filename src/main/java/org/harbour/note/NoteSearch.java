package org.harbour.note;

import java.math.BigDecimal;
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

/**
 * Ranked full-text search of notes, each note matched with its own language's configuration (accents
 * ignored), in native SQL under row-level security: what a transaction may read of the note table is the
 * database's answer (its tenant's notes, and every organization's NETWORK notes), and the scope below
 * narrows it further.
 */
@ApplicationScoped
public class NoteSearch {

    @Inject
    EntityManager entityManager;

    public record Criteria(String q, NoteEnums.Theme theme, NoteEnums.Kind kind, String tag, NoteEnums.Language language,
            String organization, Instant from, Instant to) {
    }

    /** Network scope: NETWORK notes of every organization. Organization scope: all of one organization's notes. */
    public Page<NoteHit> search(Criteria c, String ownOrganization, int limit, String cursor) {
        boolean ranked = c.q() != null && !c.q().isBlank();
        Map<String, Object> params = new HashMap<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (ownOrganization == null) {
            where.append(" AND n.visibility = 'NETWORK'");
        } else {
            where.append(" AND n.org_id = :own");
            params.put("own", ownOrganization);
        }
        if (ranked) {
            // Both languages' queries are computed once, so that the GIN index answers the match.
            where.append(" AND ((n.language = 'en' AND n.search @@ q.en) OR (n.language = 'fr' AND n.search @@ q.fr))");
            params.put("q", c.q());
        }
        condition(where, params, c.theme() == null ? null : c.theme().name(), "n.theme = :theme", "theme");
        condition(where, params, c.kind() == null ? null : c.kind().name(), "n.kind = :kind", "kind");
        condition(where, params, c.tag(), ":tag = ANY (n.tags)", "tag");
        condition(where, params, c.language() == null ? null : c.language().name(), "n.language = :language", "language");
        condition(where, params, c.organization(), "n.org_id = :organization", "organization");
        condition(where, params, c.from() == null ? null : Timestamp.from(c.from()), "n.created_at >= :from", "from");
        condition(where, params, c.to() == null ? null : Timestamp.from(c.to()), "n.created_at < :to", "to");
        String keyset = "";
        if (cursor != null) {
            if (ranked) {
                String[] key = Cursors.decode(cursor, k -> {
                    String[] parts = k.split("\\|");
                    new BigDecimal(parts[0]);
                    UUID.fromString(parts[1]);
                    return parts;
                });
                keyset = " WHERE (s.rank, s.id) < (:afterRank, :afterId)";
                params.put("afterRank", new BigDecimal(key[0]));
                params.put("afterId", UUID.fromString(key[1]));
            } else {
                where.append(" AND n.id < :afterId");
                params.put("afterId", Cursors.decode(cursor, UUID::fromString));
            }
        }
        String columns = "n.id, n.org_id, n.title, n.language, n.theme, n.kind, n.tags, n.visibility, n.created_at, n.body";
        String page;
        if (ranked) {
            page = "SELECT * FROM (SELECT " + columns + ", round(ts_rank_cd(n.search, CASE WHEN n.language = 'fr' THEN q.fr "
                    + "ELSE q.en END)::numeric, 9) AS rank, CASE WHEN n.language = 'fr' THEN q.fr ELSE q.en END AS query "
                    + "FROM note n, (SELECT websearch_to_tsquery('public.harbour_en', :q) AS en, "
                    + "websearch_to_tsquery('public.harbour_fr', :q) AS fr) q" + where + ") s" + keyset
                    + " ORDER BY s.rank DESC, s.id DESC LIMIT " + (limit + 1);
        } else {
            page = "SELECT " + columns + ", NULL::numeric AS rank FROM note n" + where + " ORDER BY n.id DESC LIMIT " + (limit + 1);
        }
        // The snippet is made for the page's notes only, after the ranking has cut the page.
        String snippet = ranked
                // Marks any of the words searched, not only passages holding all of them (a title may hold the rest).
                ? "ts_headline(note_search_config(p.language), p.body, CASE WHEN querytree(p.query) = 'T' THEN p.query "
                        + "ELSE to_tsquery(note_search_config(p.language), replace(querytree(p.query), ' & ', ' | ')) END, "
                        + "'StartSel=**, StopSel=**, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter=\" … \"')"
                : "left(p.body, 240)";
        String sql = "SELECT p.id, p.org_id, p.title, p.language, p.theme, p.kind, p.tags, p.visibility, p.created_at, p.rank, "
                + snippet + " FROM (" + page + ") p ORDER BY " + (ranked ? "p.rank DESC, " : "") + "p.id DESC";
        Query query = entityManager.createNativeQuery(sql);
        params.forEach(query::setParameter);
        List<NoteHit> hits = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            hits.add(new NoteHit((UUID) r[0], (String) r[1], (String) r[2], NoteEnums.Language.valueOf((String) r[3]),
                    NoteEnums.Theme.valueOf((String) r[4]), NoteEnums.Kind.valueOf((String) r[5]), tags(r[6]),
                    NoteEnums.Visibility.valueOf((String) r[7]), instant(r[8]), (BigDecimal) r[9], (String) r[10]));
        }
        return Page.of(hits, limit, h -> h, h -> ranked ? h.rank().toPlainString() + "|" + h.id() : h.id().toString());
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
