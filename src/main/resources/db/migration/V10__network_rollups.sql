-- The coordinator's read models. Per site and per ISO week and calendar month (in the site's own time zone),
-- the sums every trend measure is computed from, kept current by statement triggers on the write tables:
-- a write and its rollup change commit together, so no rebuild is ever needed and nothing is stale.
-- Deltas are added with INSERT ... ON CONFLICT DO UPDATE, which locks the rollup row: concurrent writers
-- to the same site and period queue on it, none loses another's update. An update subtracts the old row's
-- contribution and adds the new one, so a corrected incident moves its counts instead of adding to them.
-- Site attributes (province, kind, region, organization) are joined when reading, so that a site moved to
-- another region moves its history with it. Rollups hold counts only: no person, no note, no time.

CREATE TABLE site_rollup (
    org_id                 text NOT NULL REFERENCES organization (slug),
    -- The nil uuid stands for the organization's outreach (incidents without a site).
    site_id                uuid NOT NULL,
    grain                  text NOT NULL CHECK (grain IN ('WEEK', 'MONTH')),
    period                 date NOT NULL,
    visit_days             integer NOT NULL DEFAULT 0,
    visits                 bigint NOT NULL DEFAULT 0,
    overdoses              integer NOT NULL DEFAULT 0,
    overdoses_naloxone     integer NOT NULL DEFAULT 0,
    overdoses_ems_called   integer NOT NULL DEFAULT 0,
    overdoses_transported  integer NOT NULL DEFAULT 0,
    deaths                 integer NOT NULL DEFAULT 0,
    critical               integer NOT NULL DEFAULT 0,
    critical_debriefed_72h integer NOT NULL DEFAULT 0,
    samples                integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, site_id, grain, period)
);
CREATE INDEX site_rollup_period ON site_rollup (grain, period);

-- Drug-checking samples per substance of concern found in them.
CREATE TABLE site_rollup_concern (
    org_id    text NOT NULL REFERENCES organization (slug),
    site_id   uuid NOT NULL,
    grain     text NOT NULL CHECK (grain IN ('WEEK', 'MONTH')),
    period    date NOT NULL,
    substance text NOT NULL,
    samples   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, site_id, grain, period, substance)
);
CREATE INDEX site_rollup_concern_period ON site_rollup_concern (grain, period);

CALL tenant_table('site_rollup');
CALL tenant_table('site_rollup_concern');

-- Only make bench-trends turns rollup maintenance off (as the owner), to measure what it costs a write.
CREATE TABLE rollup_switch (
    maintained boolean NOT NULL,
    one        boolean PRIMARY KEY DEFAULT true CHECK (one)
);
INSERT INTO rollup_switch (maintained) VALUES (true);

-- The periods a local date counts in.
CREATE FUNCTION rollup_periods(local date) RETURNS TABLE (grain text, period date) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    VALUES ('WEEK', date_trunc('week', local::timestamp)::date), ('MONTH', date_trunc('month', local::timestamp)::date)
$$;

-- The local date of an instant at a site (outreach: UTC). Reads the site under the caller's row-level security.
CREATE FUNCTION rollup_local_date(org text, site uuid, at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (at AT TIME ZONE coalesce((SELECT s.time_zone FROM site s WHERE s.org_id = org AND s.id = site), 'UTC'))::date
$$;

-- What one row adds to the rollups (sign -1: what it takes away). Critical incidents and the 72 h debrief
-- are defined as in the staff resiliency view.
CREATE FUNCTION visit_day_contribution(v visit_day, sign integer) RETURNS SETOF site_rollup LANGUAGE sql STABLE AS $$
    SELECT v.org_id, v.site_id, p.grain, p.period, sign, sign * v.visits::bigint, 0, 0, 0, 0, 0, 0, 0, 0
      FROM rollup_periods(v.day) p
$$;

CREATE FUNCTION incident_contribution(i incident, sign integer) RETURNS SETOF site_rollup LANGUAGE sql STABLE AS $$
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
           rollup_periods(rollup_local_date(i.org_id, i.site_id, i.occurred_at)) p
$$;

CREATE FUNCTION drug_check_contribution(d drug_check_sample, sign integer) RETURNS SETOF site_rollup LANGUAGE sql STABLE AS $$
    SELECT d.org_id, d.site_id, p.grain, p.period, 0, 0::bigint, 0, 0, 0, 0, 0, 0, 0, sign
      FROM rollup_periods(rollup_local_date(d.org_id, d.site_id, d.taken_at)) p
$$;

CREATE FUNCTION drug_check_concern_contribution(d drug_check_sample, sign integer) RETURNS SETOF site_rollup_concern
    LANGUAGE sql STABLE AS $$
    SELECT d.org_id, d.site_id, p.grain, p.period, s.substance, sign
      FROM rollup_periods(rollup_local_date(d.org_id, d.site_id, d.taken_at)) p, unnest(d.concerns) AS s(substance)
$$;

-- The statement that adds the contributions of a set of rows to a rollup table: summed per key, keys in
-- one order (so that concurrent statements lock rollup rows in the same order), rows that change nothing
-- skipped (an edited note takes no rollup lock).
CREATE FUNCTION rollup_upsert_sql(target text, contributions text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    keys text;
    cols text;
    sums text;
    changed text;
    sets text;
BEGIN
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attnum = ANY (i.indkey::int2[])),
           string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(CASE WHEN a.attnum = ANY (i.indkey::int2[]) THEN quote_ident(a.attname)
                           ELSE format('sum(%I)', a.attname) END, ', ' ORDER BY a.attnum),
           string_agg(format('sum(%I) <> 0', a.attname), ' OR ' ORDER BY a.attnum) FILTER (WHERE NOT a.attnum = ANY (i.indkey::int2[])),
           string_agg(format('%1$I = r.%1$I + EXCLUDED.%1$I', a.attname), ', ' ORDER BY a.attnum)
               FILTER (WHERE NOT a.attnum = ANY (i.indkey::int2[]))
      INTO keys, cols, sums, changed, sets
      FROM pg_attribute a JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
     WHERE a.attrelid = target::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    RETURN format('INSERT INTO %I AS r (%s) SELECT %s FROM (%s) c GROUP BY %s HAVING %s ORDER BY %s '
                  'ON CONFLICT (%s) DO UPDATE SET %s',
                  target, cols, sums, contributions, keys, changed, keys, keys, sets);
END $$;

-- Creates the statement triggers that keep TARGET current with SOURCE through CONTRIBUTION(row, sign).
-- The trigger function is generated with static SQL, so that its plans are prepared once per session.
CREATE PROCEDURE rollup_source(source text, target text, contribution text) LANGUAGE plpgsql AS $proc$
DECLARE
    fn text := format('%s_to_%s', source, target);
    added text := format('SELECT c.* FROM new_rows n, %I(n, 1) c', contribution);
    removed text := format('SELECT c.* FROM old_rows o, %I(o, -1) c', contribution);
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
    EXECUTE rollup_upsert_sql('site_rollup', format(
        'SELECT c.* FROM visit_day n, visit_day_contribution(n, 1) c WHERE %1$s '
        'UNION ALL SELECT c.* FROM incident n, incident_contribution(n, 1) c WHERE %2$s '
        'UNION ALL SELECT c.* FROM drug_check_sample n, drug_check_contribution(n, 1) c WHERE %1$s', only_site, outreach));
    EXECUTE rollup_upsert_sql('site_rollup_concern', format(
        'SELECT c.* FROM drug_check_sample n, drug_check_concern_contribution(n, 1) c WHERE %s', only_site));
END $$;

CREATE FUNCTION site_time_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rollup_rebuild(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER site_time_zone_changed AFTER UPDATE OF time_zone ON site FOR EACH ROW
    WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION site_time_zone_changed();

-- Fill the rollups from what is already stored, organization by organization (row-level security applies
-- to the owner too).
DO $$
DECLARE
    org text;
BEGIN
    FOR org IN SELECT slug FROM organization LOOP
        PERFORM set_config('harbour.org', org, true);
        PERFORM rollup_rebuild(NULL);
    END LOOP;
    PERFORM set_config('harbour.org', '', true);
END $$;

REVOKE EXECUTE ON PROCEDURE rollup_source(text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION rollup_rebuild(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rollup_rebuild(uuid) TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON site_rollup, site_rollup_concern TO ${appRole};
GRANT SELECT ON rollup_switch TO ${appRole};

-- The coordinator's read path: its own login role (${networkRole}), read-only, which reads the rollups and
-- the site directory of every organization through policies made for it, and nothing of the row-level data:
-- no incident, visit day, sample, note or person. A site's address and external reference are not granted.
GRANT USAGE ON SCHEMA public TO ${networkRole};
GRANT SELECT ON site_rollup, site_rollup_concern TO ${networkRole};
CREATE POLICY site_rollup_network_read ON site_rollup FOR SELECT TO ${networkRole} USING (true);
CREATE POLICY site_rollup_concern_network_read ON site_rollup_concern FOR SELECT TO ${networkRole} USING (true);
GRANT SELECT (org_id, id, name, kind, model, city, province, health_region, time_zone, booths, opened_on, closed_on, status,
              exemption_number, exemption_issued_on, exemption_expires_on) ON site TO ${networkRole};
CREATE POLICY site_network_read ON site FOR SELECT TO ${networkRole} USING (true);
GRANT SELECT (org_id, site_id, service_code, schedule) ON offering TO ${networkRole};
CREATE POLICY offering_network_read ON offering FOR SELECT TO ${networkRole} USING (true);
GRANT SELECT (slug, legal_name_en, legal_name_fr, provinces, status) ON organization TO ${networkRole};
GRANT SELECT ON service TO ${networkRole};
