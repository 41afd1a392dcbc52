-- Writers no longer update rollup rows: they append what they change to a delta table, and one folder at a
-- time (rollup_fold, under an advisory lock) adds the deltas to the per-site rollups and to network sums.
--
-- Why: with V10's triggers, concurrent posts to the same site and month queued on its rollup row until
-- commit (make bench-trends: rollups cost 17-38 % of single-post throughput); and the coordinator's queries
-- summed per-site rows (a year of weeks of 1,000 sites: 52,000 rows, p95 above 160 ms). Now a write appends
-- one row per site and local day, without a lock on anything shared, and the network sums hold one row per
-- period, organization, province and site kind, which only the folder writes.
--
-- Nothing is stale: every trend query folds what is pending first (the folder also runs every second), so a
-- write committed before a query is in its answer. A site whose kind, province, dates or status change has
-- its history moved in the network sums at the next fold (rollup_site_change). Like the rollups, the delta
-- and network tables hold counts only: no person, no note, no time of day.

-- The deltas: the rows of site_rollup with grain 'DAY' and the site's local day as period.
CREATE TABLE rollup_delta (LIKE site_rollup INCLUDING DEFAULTS);
CREATE TABLE rollup_delta_concern (LIKE site_rollup_concern INCLUDING DEFAULTS);
-- Emptied every second: vacuumed by the number of dead rows, not by a share of a table that stays small.
ALTER TABLE rollup_delta SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
ALTER TABLE rollup_delta_concern SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000);
CALL tenant_table('rollup_delta');
CALL tenant_table('rollup_delta_concern');

-- A site's attributes as they were before a change that moves it in the network sums.
CREATE TABLE rollup_site_change (
    org_id    text NOT NULL,
    id        bigint GENERATED ALWAYS AS IDENTITY,
    site_id   uuid NOT NULL,
    kind      text NOT NULL,
    province  text NOT NULL,
    opened_on date,
    closed_on date,
    status    text NOT NULL,
    PRIMARY KEY (org_id, id)
);
CALL tenant_table('rollup_site_change');

-- The network sums: per period, organization, and the site's province and kind (both null for the outreach,
-- whose province is its organization's, read with the organization). sites_reporting counts the sites that
-- had visit days in the period and were open in it; overdoses_at_sites the overdoses of those with visit
-- days (the numerator of overdoses per 1,000 visits).
CREATE TABLE network_rollup (
    grain                  text NOT NULL CHECK (grain IN ('WEEK', 'MONTH')),
    period                 date NOT NULL,
    org_id                 text NOT NULL REFERENCES organization (slug),
    province               text,
    kind                   text,
    site_rows              integer NOT NULL DEFAULT 0,
    visit_days             integer NOT NULL DEFAULT 0,
    visits                 bigint NOT NULL DEFAULT 0,
    overdoses              integer NOT NULL DEFAULT 0,
    overdoses_at_sites     integer NOT NULL DEFAULT 0,
    overdoses_naloxone     integer NOT NULL DEFAULT 0,
    overdoses_ems_called   integer NOT NULL DEFAULT 0,
    overdoses_transported  integer NOT NULL DEFAULT 0,
    deaths                 integer NOT NULL DEFAULT 0,
    critical               integer NOT NULL DEFAULT 0,
    critical_debriefed_72h integer NOT NULL DEFAULT 0,
    samples                integer NOT NULL DEFAULT 0,
    sites_reporting        integer NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (grain, period, org_id, province, kind)
);

CREATE TABLE network_rollup_concern (
    grain     text NOT NULL CHECK (grain IN ('WEEK', 'MONTH')),
    period    date NOT NULL,
    org_id    text NOT NULL REFERENCES organization (slug),
    province  text,
    kind      text,
    substance text NOT NULL,
    samples   integer NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (grain, period, org_id, province, kind, substance)
);
CALL tenant_table('network_rollup');
CALL tenant_table('network_rollup_concern');

-- The folder runs as the owner (rollup_fold is SECURITY DEFINER): it reads and writes the rollup tables of
-- every organization and reads the site directory, through policies made for it. It never reads an
-- incident, visit day or sample.
CREATE POLICY rollup_delta_fold ON rollup_delta TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY rollup_delta_concern_fold ON rollup_delta_concern TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY rollup_site_change_fold ON rollup_site_change TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY site_rollup_fold ON site_rollup TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY site_rollup_concern_fold ON site_rollup_concern TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY network_rollup_fold ON network_rollup TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY network_rollup_concern_fold ON network_rollup_concern TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY site_fold_read ON site FOR SELECT TO CURRENT_USER USING (true);

-- The day a local date counts in; the folder adds days to their weeks and months (rollup_grains).
CREATE OR REPLACE FUNCTION rollup_periods(local date) RETURNS TABLE (grain text, period date) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    VALUES ('DAY', local)
$$;

CREATE FUNCTION rollup_grains(day date) RETURNS TABLE (grain text, period date) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    VALUES ('WEEK', date_trunc('week', day::timestamp)::date), ('MONTH', date_trunc('month', day::timestamp)::date)
$$;

-- What a site's rollup row adds to the network sums (sign -1: what it takes away) with the site's attributes
-- (null for the outreach). A site is open in a period when it had opened by its end and not closed before
-- its start, as in the trend queries.
CREATE FUNCTION network_contribution(r site_rollup, kind text, province text, opened_on date, closed_on date, status text,
                                     sign integer) RETURNS SETOF network_rollup LANGUAGE sql IMMUTABLE AS $$
    SELECT r.grain, r.period, r.org_id, province, kind, sign, sign * r.visit_days, sign * r.visits, sign * r.overdoses,
           sign * CASE WHEN r.site_id <> '00000000-0000-0000-0000-000000000000'::uuid AND r.visit_days > 0 THEN r.overdoses ELSE 0 END,
           sign * r.overdoses_naloxone, sign * r.overdoses_ems_called, sign * r.overdoses_transported, sign * r.deaths,
           sign * r.critical, sign * r.critical_debriefed_72h, sign * r.samples,
           sign * coalesce(r.visit_days > 0 AND status <> 'PLANNED'
                           AND (opened_on IS NULL OR opened_on <= CASE r.grain WHEN 'WEEK' THEN r.period + 6
                                ELSE (r.period + interval '1 month' - interval '1 day')::date END)
                           AND (closed_on IS NULL OR closed_on >= r.period), false)::integer
$$;

-- The statement that appends the contributions of a set of rows to TARGET (a delta table shaped like SHAPE):
-- summed per key, rows that change nothing skipped (an edited note appends nothing).
CREATE FUNCTION rollup_append_sql(target text, shape text, contributions text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    keys text;
    cols text;
    sums text;
    changed text;
BEGIN
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attnum = ANY (i.indkey::int2[])),
           string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(CASE WHEN a.attnum = ANY (i.indkey::int2[]) THEN quote_ident(a.attname)
                           ELSE format('sum(%I)', a.attname) END, ', ' ORDER BY a.attnum),
           string_agg(format('sum(%I) <> 0', a.attname), ' OR ' ORDER BY a.attnum) FILTER (WHERE NOT a.attnum = ANY (i.indkey::int2[]))
      INTO keys, cols, sums, changed
      FROM pg_attribute a JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
     WHERE a.attrelid = shape::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    RETURN format('INSERT INTO %I (%s) SELECT %s FROM (%s) c GROUP BY %s HAVING %s', target, cols, sums, contributions, keys, changed);
END $$;

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
DROP PROCEDURE rollup_source(text, text, text);

-- Creates the statement triggers that append SOURCE's changes to TARGET through CONTRIBUTION(row, zone, sign).
-- The trigger function is generated with static SQL, so that its plans are prepared once per session.
CREATE PROCEDURE rollup_source(source text, target text, shape text, contribution text) LANGUAGE plpgsql AS $proc$
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
END $body$$f$, fn, rollup_append_sql(target, shape, added), rollup_append_sql(target, shape, removed),
                   rollup_append_sql(target, shape, removed || ' UNION ALL ' || added));
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()', fn || '_insert', source, fn);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()', fn || '_update', source, fn);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION %I()', fn || '_delete', source, fn);
END $proc$;

CALL rollup_source('visit_day', 'rollup_delta', 'site_rollup', 'visit_day_contribution');
CALL rollup_source('incident', 'rollup_delta', 'site_rollup', 'incident_contribution');
CALL rollup_source('drug_check_sample', 'rollup_delta', 'site_rollup', 'drug_check_contribution');
CALL rollup_source('drug_check_sample', 'rollup_delta_concern', 'site_rollup_concern', 'drug_check_concern_contribution');

-- A site's time zone changed: its instants fall on other local days. Visit days are local dates already.
DROP TRIGGER site_time_zone_changed ON site;
DROP FUNCTION site_time_zone_changed();
DROP FUNCTION rollup_rebuild(uuid);
CREATE FUNCTION site_time_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mine text := format('n.org_id = %L AND n.site_id = %L', NEW.org_id, NEW.id);
BEGIN
    EXECUTE rollup_append_sql('rollup_delta', 'site_rollup',
        replace(rollup_contributions('incident_contribution', 'incident', -1, mine), 'z.time_zone', quote_literal(OLD.time_zone))
        || ' UNION ALL ' || rollup_contributions('incident_contribution', 'incident', 1, mine)
        || ' UNION ALL ' || replace(rollup_contributions('drug_check_contribution', 'drug_check_sample', -1, mine), 'z.time_zone',
                                    quote_literal(OLD.time_zone))
        || ' UNION ALL ' || rollup_contributions('drug_check_contribution', 'drug_check_sample', 1, mine));
    EXECUTE rollup_append_sql('rollup_delta_concern', 'site_rollup_concern',
        replace(rollup_contributions('drug_check_concern_contribution', 'drug_check_sample', -1, mine), 'z.time_zone',
                quote_literal(OLD.time_zone))
        || ' UNION ALL ' || rollup_contributions('drug_check_concern_contribution', 'drug_check_sample', 1, mine));
    RETURN NULL;
END $$;
CREATE TRIGGER site_time_zone_changed AFTER UPDATE OF time_zone ON site FOR EACH ROW
    WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION site_time_zone_changed();

-- A site's kind, province, dates or status changed: the next fold moves its history in the network sums.
CREATE FUNCTION site_counted_elsewhere() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rollup_site_change (org_id, site_id, kind, province, opened_on, closed_on, status)
    VALUES (OLD.org_id, OLD.id, OLD.kind, OLD.province, OLD.opened_on, OLD.closed_on, OLD.status);
    RETURN NULL;
END $$;
CREATE TRIGGER site_counted_elsewhere AFTER UPDATE OF kind, province, opened_on, closed_on, status ON site FOR EACH ROW
    WHEN ((OLD.kind, OLD.province, OLD.opened_on, OLD.closed_on, OLD.status)
          IS DISTINCT FROM (NEW.kind, NEW.province, NEW.opened_on, NEW.closed_on, NEW.status))
    EXECUTE FUNCTION site_counted_elsewhere();

-- Folds every pending delta and site change, in one statement (one snapshot): a site's rollup rows as they
-- were before are moved from where they were counted (its attributes before its first pending change) to
-- where they count now, then each changed rollup row's old value is taken out and its new value added under
-- the site's attributes now. WAIT false: return at once when another fold runs (the periodic fold).
CREATE FUNCTION rollup_fold(wait boolean) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- Nothing visible means every committed delta was folded by a fold that committed (or that is still
    -- running, whose deletions would still be visible here): nothing to wait for.
    IF NOT EXISTS (SELECT 1 FROM rollup_delta) AND NOT EXISTS (SELECT 1 FROM rollup_delta_concern)
       AND NOT EXISTS (SELECT 1 FROM rollup_site_change) THEN
        RETURN;
    END IF;
    IF wait THEN
        PERFORM pg_advisory_xact_lock(hashtext('harbour.rollup_fold'));
    ELSIF NOT pg_try_advisory_xact_lock(hashtext('harbour.rollup_fold')) THEN
        RETURN;
    END IF;
    WITH delta AS (DELETE FROM rollup_delta RETURNING *),
    changed AS (
        SELECT d.org_id, d.site_id, g.grain, g.period, sum(d.visit_days)::integer AS visit_days, sum(d.visits)::bigint AS visits,
               sum(d.overdoses)::integer AS overdoses, sum(d.overdoses_naloxone)::integer AS overdoses_naloxone,
               sum(d.overdoses_ems_called)::integer AS overdoses_ems_called,
               sum(d.overdoses_transported)::integer AS overdoses_transported, sum(d.deaths)::integer AS deaths,
               sum(d.critical)::integer AS critical, sum(d.critical_debriefed_72h)::integer AS critical_debriefed_72h,
               sum(d.samples)::integer AS samples
          FROM delta d, rollup_grains(d.period) g
         GROUP BY 1, 2, 3, 4
        HAVING sum(d.visit_days) <> 0 OR sum(d.visits) <> 0 OR sum(d.overdoses) <> 0 OR sum(d.overdoses_naloxone) <> 0
            OR sum(d.overdoses_ems_called) <> 0 OR sum(d.overdoses_transported) <> 0 OR sum(d.deaths) <> 0
            OR sum(d.critical) <> 0 OR sum(d.critical_debriefed_72h) <> 0 OR sum(d.samples) <> 0),
    before AS (SELECT r.* FROM site_rollup r JOIN changed c USING (org_id, site_id, grain, period)),
    after AS (
        INSERT INTO site_rollup AS r SELECT * FROM changed
        ON CONFLICT (org_id, site_id, grain, period) DO UPDATE SET
            visit_days = r.visit_days + EXCLUDED.visit_days, visits = r.visits + EXCLUDED.visits,
            overdoses = r.overdoses + EXCLUDED.overdoses, overdoses_naloxone = r.overdoses_naloxone + EXCLUDED.overdoses_naloxone,
            overdoses_ems_called = r.overdoses_ems_called + EXCLUDED.overdoses_ems_called,
            overdoses_transported = r.overdoses_transported + EXCLUDED.overdoses_transported, deaths = r.deaths + EXCLUDED.deaths,
            critical = r.critical + EXCLUDED.critical, critical_debriefed_72h = r.critical_debriefed_72h + EXCLUDED.critical_debriefed_72h,
            samples = r.samples + EXCLUDED.samples
        RETURNING r.*),
    moves AS (DELETE FROM rollup_site_change RETURNING *),
    moved AS (SELECT DISTINCT ON (m.org_id, m.site_id) m.* FROM moves m ORDER BY m.org_id, m.site_id, m.id),
    concern_delta AS (DELETE FROM rollup_delta_concern RETURNING *),
    concern_changed AS (
        SELECT d.org_id, d.site_id, g.grain, g.period, d.substance, sum(d.samples)::integer AS samples
          FROM concern_delta d, rollup_grains(d.period) g
         GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.samples) <> 0),
    concern_after AS (
        INSERT INTO site_rollup_concern AS r SELECT * FROM concern_changed
        ON CONFLICT (org_id, site_id, grain, period, substance) DO UPDATE SET samples = r.samples + EXCLUDED.samples
        RETURNING 1),
    concern_network AS (
        INSERT INTO network_rollup_concern AS n (grain, period, org_id, province, kind, substance, samples)
        SELECT c.grain, c.period, c.org_id, c.province, c.kind, c.substance, sum(c.samples)
          FROM (SELECT r.grain, r.period, r.org_id, s.province, s.kind, r.substance, r.samples
                  FROM concern_changed r LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id
                UNION ALL
                SELECT r.grain, r.period, r.org_id, m.province, m.kind, r.substance, -r.samples
                  FROM moved m JOIN site_rollup_concern r ON r.org_id = m.org_id AND r.site_id = m.site_id
                UNION ALL
                SELECT r.grain, r.period, r.org_id, s.province, s.kind, r.substance, r.samples
                  FROM moved m JOIN site_rollup_concern r ON r.org_id = m.org_id AND r.site_id = m.site_id
                  JOIN site s ON s.org_id = m.org_id AND s.id = m.site_id) c
         GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(c.samples) <> 0
        ON CONFLICT (grain, period, org_id, province, kind, substance) DO UPDATE SET samples = n.samples + EXCLUDED.samples
        RETURNING 1)
    INSERT INTO network_rollup AS n
    SELECT c.grain, c.period, c.org_id, c.province, c.kind, sum(c.site_rows), sum(c.visit_days), sum(c.visits), sum(c.overdoses),
           sum(c.overdoses_at_sites), sum(c.overdoses_naloxone), sum(c.overdoses_ems_called), sum(c.overdoses_transported),
           sum(c.deaths), sum(c.critical), sum(c.critical_debriefed_72h), sum(c.samples), sum(c.sites_reporting)
      FROM (SELECT c.* FROM before r LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id,
                   network_contribution(r, s.kind, s.province, s.opened_on, s.closed_on, s.status, -1) c
            UNION ALL
            SELECT c.* FROM after r LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id,
                   network_contribution(r, s.kind, s.province, s.opened_on, s.closed_on, s.status, 1) c
            UNION ALL
            SELECT c.* FROM moved m JOIN site_rollup r ON r.org_id = m.org_id AND r.site_id = m.site_id,
                   network_contribution(r, m.kind, m.province, m.opened_on, m.closed_on, m.status, -1) c
            UNION ALL
            SELECT c.* FROM moved m JOIN site_rollup r ON r.org_id = m.org_id AND r.site_id = m.site_id
                   JOIN site s ON s.org_id = m.org_id AND s.id = m.site_id,
                   network_contribution(r, s.kind, s.province, s.opened_on, s.closed_on, s.status, 1) c) c
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(c.site_rows) <> 0 OR sum(c.visit_days) <> 0 OR sum(c.visits) <> 0 OR sum(c.overdoses) <> 0
        OR sum(c.overdoses_at_sites) <> 0 OR sum(c.overdoses_naloxone) <> 0 OR sum(c.overdoses_ems_called) <> 0
        OR sum(c.overdoses_transported) <> 0 OR sum(c.deaths) <> 0 OR sum(c.critical) <> 0
        OR sum(c.critical_debriefed_72h) <> 0 OR sum(c.samples) <> 0 OR sum(c.sites_reporting) <> 0
    ON CONFLICT (grain, period, org_id, province, kind) DO UPDATE SET
        site_rows = n.site_rows + EXCLUDED.site_rows, visit_days = n.visit_days + EXCLUDED.visit_days,
        visits = n.visits + EXCLUDED.visits, overdoses = n.overdoses + EXCLUDED.overdoses,
        overdoses_at_sites = n.overdoses_at_sites + EXCLUDED.overdoses_at_sites,
        overdoses_naloxone = n.overdoses_naloxone + EXCLUDED.overdoses_naloxone,
        overdoses_ems_called = n.overdoses_ems_called + EXCLUDED.overdoses_ems_called,
        overdoses_transported = n.overdoses_transported + EXCLUDED.overdoses_transported, deaths = n.deaths + EXCLUDED.deaths,
        critical = n.critical + EXCLUDED.critical, critical_debriefed_72h = n.critical_debriefed_72h + EXCLUDED.critical_debriefed_72h,
        samples = n.samples + EXCLUDED.samples, sites_reporting = n.sites_reporting + EXCLUDED.sites_reporting;
END $$;

-- Rebuilds one organization's rollups from its write tables (make bench-trends, after posting with
-- maintenance off). Owner only.
CREATE FUNCTION rollup_rebuild(org text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('harbour.rollup_fold'));
    PERFORM set_config('harbour.org', org, true);
    DELETE FROM rollup_delta r WHERE r.org_id = org;
    DELETE FROM rollup_delta_concern r WHERE r.org_id = org;
    DELETE FROM rollup_site_change r WHERE r.org_id = org;
    DELETE FROM site_rollup r WHERE r.org_id = org;
    DELETE FROM site_rollup_concern r WHERE r.org_id = org;
    DELETE FROM network_rollup r WHERE r.org_id = org;
    DELETE FROM network_rollup_concern r WHERE r.org_id = org;
    EXECUTE rollup_append_sql('rollup_delta', 'site_rollup',
        rollup_contributions('visit_day_contribution', 'visit_day', 1) || ' UNION ALL '
        || rollup_contributions('incident_contribution', 'incident', 1) || ' UNION ALL '
        || rollup_contributions('drug_check_contribution', 'drug_check_sample', 1));
    EXECUTE rollup_append_sql('rollup_delta_concern', 'site_rollup_concern',
        rollup_contributions('drug_check_concern_contribution', 'drug_check_sample', 1));
    PERFORM rollup_fold(true);
END $$;

-- The network sums of what the rollups hold today.
INSERT INTO network_rollup
SELECT c.grain, c.period, c.org_id, c.province, c.kind, sum(c.site_rows), sum(c.visit_days), sum(c.visits), sum(c.overdoses),
       sum(c.overdoses_at_sites), sum(c.overdoses_naloxone), sum(c.overdoses_ems_called), sum(c.overdoses_transported),
       sum(c.deaths), sum(c.critical), sum(c.critical_debriefed_72h), sum(c.samples), sum(c.sites_reporting)
  FROM site_rollup r LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id,
       network_contribution(r, s.kind, s.province, s.opened_on, s.closed_on, s.status, 1) c
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO network_rollup_concern
SELECT r.grain, r.period, r.org_id, s.province, s.kind, r.substance, sum(r.samples)
  FROM site_rollup_concern r LEFT JOIN site s ON s.org_id = r.org_id AND s.id = r.site_id
 GROUP BY 1, 2, 3, 4, 5, 6;
CREATE INDEX network_rollup_period ON network_rollup (grain, period);
CREATE INDEX network_rollup_concern_period ON network_rollup_concern (grain, period);

REVOKE EXECUTE ON PROCEDURE rollup_source(text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION rollup_rebuild(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION rollup_fold(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rollup_fold(boolean) TO ${appRole};
-- The application appends; only the folder writes the rollups.
REVOKE ALL ON site_rollup, site_rollup_concern FROM ${appRole};
GRANT INSERT ON rollup_delta, rollup_delta_concern, rollup_site_change TO ${appRole};
GRANT USAGE ON SEQUENCE rollup_site_change_id_seq TO ${appRole};

-- The coordinator's read path reads the network sums.
GRANT SELECT ON network_rollup, network_rollup_concern TO ${networkRole};
CREATE POLICY network_rollup_network_read ON network_rollup FOR SELECT TO ${networkRole} USING (true);
CREATE POLICY network_rollup_concern_network_read ON network_rollup_concern FOR SELECT TO ${networkRole} USING (true);
