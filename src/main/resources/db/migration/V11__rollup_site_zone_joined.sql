-- Rollup maintenance joins the site once per statement for its time zone, instead of looking it up per row.
-- In V10 each incident and sample row ran rollup_local_date (a subquery on site, which PostgreSQL cannot
-- inline) once per period: about 0.2 ms a row, four fifths of the cost of a 20,000-row import chunk
-- (make bench-trends). Now the statement's rows are joined to site (a hash join for a chunk, one index
-- lookup for a single post) and the contribution functions take the zone as an argument, so they inline.
-- The definitions of the sums are unchanged: the rollups stay as they are.

DROP TRIGGER visit_day_to_site_rollup_insert ON visit_day;
DROP TRIGGER visit_day_to_site_rollup_update ON visit_day;
DROP TRIGGER visit_day_to_site_rollup_delete ON visit_day;
DROP TRIGGER incident_to_site_rollup_insert ON incident;
DROP TRIGGER incident_to_site_rollup_update ON incident;
DROP TRIGGER incident_to_site_rollup_delete ON incident;
DROP TRIGGER drug_check_sample_to_site_rollup_insert ON drug_check_sample;
DROP TRIGGER drug_check_sample_to_site_rollup_update ON drug_check_sample;
DROP TRIGGER drug_check_sample_to_site_rollup_delete ON drug_check_sample;
DROP TRIGGER drug_check_sample_to_site_rollup_concern_insert ON drug_check_sample;
DROP TRIGGER drug_check_sample_to_site_rollup_concern_update ON drug_check_sample;
DROP TRIGGER drug_check_sample_to_site_rollup_concern_delete ON drug_check_sample;
DROP FUNCTION visit_day_to_site_rollup();
DROP FUNCTION incident_to_site_rollup();
DROP FUNCTION drug_check_sample_to_site_rollup();
DROP FUNCTION drug_check_sample_to_site_rollup_concern();
-- site_time_zone_changed() calls rollup_rebuild by name: it calls the new one.
DROP FUNCTION rollup_rebuild(uuid);
DROP FUNCTION visit_day_contribution(visit_day, integer);
DROP FUNCTION incident_contribution(incident, integer);
DROP FUNCTION drug_check_contribution(drug_check_sample, integer);
DROP FUNCTION drug_check_concern_contribution(drug_check_sample, integer);
DROP FUNCTION rollup_local_date(text, uuid, timestamptz);
DROP PROCEDURE rollup_source(text, text, text);

-- What one row adds to the rollups (sign -1: what it takes away), ZONE being its site's time zone (null for
-- the outreach: UTC). Critical incidents and the 72 h debrief are defined as in the staff resiliency view.
CREATE FUNCTION visit_day_contribution(v visit_day, zone text, sign integer) RETURNS SETOF site_rollup LANGUAGE sql IMMUTABLE AS $$
    SELECT v.org_id, v.site_id, p.grain, p.period, sign, sign * v.visits::bigint, 0, 0, 0, 0, 0, 0, 0, 0
      FROM rollup_periods(v.day) p
$$;

CREATE FUNCTION incident_contribution(i incident, zone text, sign integer) RETURNS SETOF site_rollup LANGUAGE sql STABLE AS $$
    SELECT i.org_id, coalesce(i.site_id, '00000000-0000-0000-0000-000000000000'::uuid), p.grain, p.period, 0, 0::bigint,
           sign * (i.kind = 'OVERDOSE')::integer,
           sign * (i.kind = 'OVERDOSE' AND coalesce(i.naloxone_doses, 0) > 0)::integer,
           sign * (i.kind = 'OVERDOSE' AND coalesce(i.ems_called, false))::integer,
           sign * (i.kind = 'OVERDOSE' AND i.outcome IS NOT DISTINCT FROM 'TRANSPORTED')::integer,
           sign * (i.outcome IS NOT DISTINCT FROM 'DEATH')::integer,
           sign * c.critical::integer,
           sign * coalesce(c.critical AND coalesce(i.debrief_held, false)
                   AND i.debrief_at <= i.occurred_at + interval '72 hours', false)::integer,
           0
      FROM (SELECT i.kind IN ('OVERDOSE', 'DRUG_EMERGENCY') OR i.outcome IS NOT DISTINCT FROM 'DEATH' AS critical) c,
           rollup_periods((i.occurred_at AT TIME ZONE coalesce(zone, 'UTC'))::date) p
$$;

CREATE FUNCTION drug_check_contribution(d drug_check_sample, zone text, sign integer) RETURNS SETOF site_rollup LANGUAGE sql STABLE AS $$
    SELECT d.org_id, d.site_id, p.grain, p.period, 0, 0::bigint, 0, 0, 0, 0, 0, 0, 0, sign
      FROM rollup_periods((d.taken_at AT TIME ZONE coalesce(zone, 'UTC'))::date) p
$$;

CREATE FUNCTION drug_check_concern_contribution(d drug_check_sample, zone text, sign integer) RETURNS SETOF site_rollup_concern
    LANGUAGE sql STABLE AS $$
    SELECT d.org_id, d.site_id, p.grain, p.period, s.substance, sign
      FROM rollup_periods((d.taken_at AT TIME ZONE coalesce(zone, 'UTC'))::date) p, unnest(d.concerns) AS s(substance)
$$;

-- The contributions of the rows of ROWS (a transition table or a table) that satisfy WHERE, with their sites.
CREATE FUNCTION rollup_contributions(contribution text, source_rows text, sign integer, condition text DEFAULT 'true')
    RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('SELECT c.* FROM %1$s n LEFT JOIN site z ON z.org_id = n.org_id AND z.id = n.site_id, '
                  '%2$I(n, z.time_zone, %3$s) c WHERE %4$s', source_rows, contribution, sign, condition)
$$;

-- Creates the statement triggers that keep TARGET current with SOURCE through CONTRIBUTION(row, zone, sign).
-- The trigger function is generated with static SQL, so that its plans are prepared once per session.
CREATE PROCEDURE rollup_source(source text, target text, contribution text) LANGUAGE plpgsql AS $proc$
DECLARE
    fn text := format('%s_to_%s', source, target);
    added text := rollup_contributions(contribution, 'new_rows', 1);
    removed text := rollup_contributions(contribution, 'old_rows', -1);
BEGIN
    EXECUTE format($f$CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF NOT (SELECT maintained FROM rollup_switch) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        %s;
    ELSIF TG_OP = 'DELETE' THEN
        %s;
    ELSE
        %s;
    END IF;
    RETURN NULL;
END $body$$f$, fn, rollup_upsert_sql(target, added), rollup_upsert_sql(target, removed),
                   rollup_upsert_sql(target, removed || ' UNION ALL ' || added));
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()', fn || '_insert', source, fn);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()', fn || '_update', source, fn);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()', fn || '_delete', source, fn);
END $proc$;

CALL rollup_source('visit_day', 'site_rollup', 'visit_day_contribution');
CALL rollup_source('incident', 'site_rollup', 'incident_contribution');
CALL rollup_source('drug_check_sample', 'site_rollup', 'drug_check_contribution');
CALL rollup_source('drug_check_sample', 'site_rollup_concern', 'drug_check_concern_contribution');

-- Rebuilds the rollups of the current tenant's SITE (all of them when SITE is null) from the write tables:
-- after a site's time zone changes (its instants fall on other local dates), and to fill the rollups once.
CREATE FUNCTION rollup_rebuild(site uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    org text := current_setting('harbour.org', true);
    only_site text := CASE WHEN site IS NULL THEN 'true' ELSE format('n.site_id = %L', site) END;
    outreach text := CASE WHEN site IS NULL THEN 'true' ELSE format('n.site_id IS NOT DISTINCT FROM %L', site) END;
BEGIN
    IF org IS NULL OR org = '' THEN
        RAISE EXCEPTION 'rollup_rebuild needs a tenant (harbour.org)';
    END IF;
    DELETE FROM site_rollup r WHERE r.org_id = org AND (site IS NULL OR r.site_id = site);
    DELETE FROM site_rollup_concern r WHERE r.org_id = org AND (site IS NULL OR r.site_id = site);
    EXECUTE rollup_upsert_sql('site_rollup',
        rollup_contributions('visit_day_contribution', 'visit_day', 1, only_site) || ' UNION ALL '
        || rollup_contributions('incident_contribution', 'incident', 1, outreach) || ' UNION ALL '
        || rollup_contributions('drug_check_contribution', 'drug_check_sample', 1, only_site));
    EXECUTE rollup_upsert_sql('site_rollup_concern',
        rollup_contributions('drug_check_concern_contribution', 'drug_check_sample', 1, only_site));
END $$;

REVOKE EXECUTE ON PROCEDURE rollup_source(text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION rollup_rebuild(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rollup_rebuild(uuid) TO ${appRole};
