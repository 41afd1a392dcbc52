-- Tidying V10-V12's rollup helpers, with no change to what they compute:
-- rollup_upsert_sql has had no caller since V12 (writers append deltas; rollup_fold writes the rollups);
-- rollup_contributions takes the zone as an argument, so that a time-zone change asks for the old zone
-- instead of replacing text in the statement it was given.
DROP FUNCTION rollup_upsert_sql(text, text);

-- Callers name it at run time only (rollup_source, rollup_rebuild, site_time_zone_changed): they resolve to this one.
DROP FUNCTION rollup_contributions(text, text, integer, text);
-- The contributions of the rows of SOURCE_ROWS (a transition table or a table) that satisfy CONDITION, each
-- with its site's time zone (ZONE: an SQL expression, by default the site's zone as stored).
CREATE FUNCTION rollup_contributions(contribution text, source_rows text, sign integer, condition text DEFAULT 'true',
                                     zone text DEFAULT 'z.time_zone') RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('SELECT c.* FROM %1$s n LEFT JOIN site z ON z.org_id = n.org_id AND z.id = n.site_id, '
                  '%2$I(n, %5$s, %3$s) c WHERE %4$s', source_rows, contribution, sign, condition, zone)
$$;

-- A site's time zone changed: its instants fall on other local days (visit days are local dates already).
CREATE OR REPLACE FUNCTION site_time_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mine text := format('n.org_id = %L AND n.site_id = %L', NEW.org_id, NEW.id);
    was text := quote_literal(OLD.time_zone);
BEGIN
    EXECUTE rollup_append_sql('rollup_delta', 'site_rollup',
        rollup_contributions('incident_contribution', 'incident', -1, mine, was)
        || ' UNION ALL ' || rollup_contributions('incident_contribution', 'incident', 1, mine)
        || ' UNION ALL ' || rollup_contributions('drug_check_contribution', 'drug_check_sample', -1, mine, was)
        || ' UNION ALL ' || rollup_contributions('drug_check_contribution', 'drug_check_sample', 1, mine));
    EXECUTE rollup_append_sql('rollup_delta_concern', 'site_rollup_concern',
        rollup_contributions('drug_check_concern_contribution', 'drug_check_sample', -1, mine, was)
        || ' UNION ALL ' || rollup_contributions('drug_check_concern_contribution', 'drug_check_sample', 1, mine));
    RETURN NULL;
END $$;
