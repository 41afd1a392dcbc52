-- make bench-trends: a network of :sites sites in :orgs organizations with :years years of daily visits up to
-- yesterday, :incidents incidents and :samples drug-checking samples, written directly in SQL as the owner
-- role, organization by organization with harbour.org set (row-level security is forced on the owner too).
-- The rollups are filled by the write path's own statement triggers, chunk by chunk, as an import would, and
-- folded after each organization.
-- Deterministic: hashes of row numbers, no random(). The organization 'riverside' has riverside's real
-- Keycloak issuer, so that the benchmark can post to it with a real token; the others never sign in.
\set ON_ERROR_STOP 1
SET synchronous_commit = off;

CREATE TEMP TABLE province_zone (n int, province text, zone text);
INSERT INTO province_zone VALUES
    (0, 'CA-ON', 'America/Toronto'), (1, 'CA-QC', 'America/Toronto'), (2, 'CA-BC', 'America/Vancouver'),
    (3, 'CA-AB', 'America/Edmonton'), (4, 'CA-SK', 'America/Regina'), (5, 'CA-MB', 'America/Winnipeg'),
    (6, 'CA-NS', 'America/Halifax'), (7, 'CA-NL', 'America/St_Johns'), (8, 'CA-NB', 'America/Moncton'),
    (9, 'CA-YT', 'America/Whitehorse');

INSERT INTO organization (slug, legal_name_en, legal_name_fr, provinces, issuer, audience, status)
SELECT CASE WHEN g = 1 THEN 'riverside' ELSE format('bench-%s', lpad(g::text, 3, '0')) END,
       format('Bench organization %s', g), format('Organisme de banc d''essai %s', g),
       ARRAY[p.province],
       CASE WHEN g = 1 THEN :'riverside_issuer' ELSE format('http://bench.invalid/realms/bench-%s', g) END,
       'harbour-api', 'ACTIVE'
  FROM generate_series(1, :orgs) g JOIN province_zone p ON p.n = (g - 1) % 10;

CREATE TEMP TABLE bench_org AS
SELECT row_number() OVER (ORDER BY created_at, slug) - 1 AS n, slug, provinces[1] AS province FROM organization;

-- Site s belongs to organization s % orgs; every tenth opened during the period, some others closed in it.
CREATE TEMP TABLE bench_site AS
SELECT s, o.slug AS org_id,
       ('00000000-0000-4000-8000-' || lpad(to_hex(s), 12, '0'))::uuid AS id,
       (ARRAY['SCS', 'OPS', 'MOBILE', 'HOUSING', 'HOSPITAL', 'PARAMEDIC', 'DISPENSING'])[1 + s % 7] AS kind,
       o.province, p.zone,
       format('%s region %s', o.province, 1 + s % 3) AS health_region,
       CASE WHEN s % 10 = 0 THEN (:'first_day'::date + (s * 7) % (365 * :years)) END AS opened_on,
       CASE WHEN s % 25 = 0 AND s % 10 <> 0 THEN (:'first_day'::date + 365 * :years - 200) END AS closed_on,
       20 + (hashint4(s) & 2147483647) % 100 AS base
  FROM generate_series(0, :sites - 1) s
  JOIN bench_org o ON o.n = s % :orgs
  JOIN province_zone p ON p.province = o.province;

-- psql does not substitute inside the block below: it reads these settings.
SELECT set_config('bench.orgs', :'orgs', false), set_config('bench.incidents', :'incidents', false),
       set_config('bench.samples', :'samples', false), set_config('bench.first_day', :'first_day', false),
       set_config('bench.last_day', :'last_day', false) \gset

DO $$
DECLARE
    org record;
    chunk int;
    orgs int := current_setting('bench.orgs')::int;
    per_org bigint := current_setting('bench.incidents')::bigint / orgs;
    samples_per_org bigint := current_setting('bench.samples')::bigint / orgs;
    chunks int := 10;
    first_day date := current_setting('bench.first_day')::date;
    last_day date := current_setting('bench.last_day')::date;
    span_seconds double precision := extract(epoch FROM (last_day + 1)::timestamp - first_day::timestamp);
    org_sites uuid[];
    started timestamptz;
BEGIN
    FOR org IN SELECT * FROM bench_org ORDER BY n LOOP
        started := clock_timestamp();
        PERFORM set_config('harbour.org', org.slug, true);
        INSERT INTO site (org_id, id, external_ref, name, kind, model, city, province, health_region, time_zone, booths,
                          opened_on, closed_on, status)
        SELECT org_id, id, format('B-%s', s), format('Bench site %s', s), kind, 'STANDALONE', 'Bench city', province,
               health_region, zone, 4, opened_on, closed_on, CASE WHEN closed_on IS NULL THEN 'ACTIVE' ELSE 'CLOSED' END
          FROM bench_site WHERE org_id = org.slug;
        -- Every other site offers drug checking (FTIR), every site supervised injection.
        INSERT INTO offering (org_id, site_id, service_code, schedule)
        SELECT org_id, id, c.code, '[{"days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"], "opens": "09:00", "closes": "17:00", "allDay": false, "audience": null}]'
          FROM bench_site, (VALUES ('SUPERVISED_INJECTION'), ('DRUG_CHECKING_FTIR')) c(code)
         WHERE org_id = org.slug AND (c.code = 'SUPERVISED_INJECTION' OR s % 2 = 0);
        SELECT array_agg(id ORDER BY s) INTO org_sites FROM bench_site WHERE org_id = org.slug;

        -- Daily visits: the site's base, growing over the period, a summer peak, quieter Sundays, noise; about
        -- 2 % of days unreported; none outside the days the site was open.
        INSERT INTO visit_day (org_id, site_id, day, visits)
        SELECT b.org_id, b.id, d::date,
               greatest(0, round(b.base * (0.8 + 0.4 * (d::date - first_day) / (last_day - first_day + 1))
                        * (1 + 0.15 * sin(2 * pi() * extract(doy FROM d) / 365.25 - pi() / 2))
                        * CASE WHEN extract(isodow FROM d) = 7 THEN 0.7 ELSE 1 END
                        * (0.85 + ((2147483647 & hashint8(b.s * 100000 + (d::date - first_day))) % 300) / 1000.0)))::int
          FROM bench_site b, generate_series(first_day, last_day, interval '1 day') d
         WHERE b.org_id = org.slug
           AND (b.opened_on IS NULL OR d::date >= b.opened_on) AND (b.closed_on IS NULL OR d::date <= b.closed_on)
           AND (2147483647 & hashint8(b.s * 7919 + (d::date - first_day))) % 50 <> 0;
        COMMIT;

        -- Incidents in time order (the indexes append), in chunks: each statement's transition table feeds the
        -- rollups once, as a chunk of an import does.
        FOR chunk IN 0 .. chunks - 1 LOOP
            PERFORM set_config('harbour.org', org.slug, true);
            INSERT INTO incident (org_id, id, site_id, occurred_at, location, kind, substances, mode, naloxone_doses, ems_called,
                                  outcome, debrief_held, debrief_at)
            SELECT org.slug, ('00000000-0000-7000-8000-' || lpad(to_hex(org.n * per_org + k), 12, '0'))::uuid,
                   CASE WHEN h % 50 = 0 THEN NULL ELSE org_sites[1 + (h / 50) % cardinality(org_sites)] END,
                   to_timestamp(extract(epoch FROM first_day::timestamp AT TIME ZONE 'UTC') + span_seconds * k / per_org),
                   CASE WHEN h % 50 = 0 THEN 'OUTREACH' ELSE 'INSIDE' END,
                   x.kind, ARRAY['FENTANYL'], 'INJECTION',
                   CASE WHEN x.kind = 'OVERDOSE' THEN (h / 7) % 4 END,
                   CASE WHEN x.kind = 'OVERDOSE' THEN (h / 11) % 4 = 0 END,
                   CASE WHEN x.kind <> 'OVERDOSE' THEN NULL WHEN (h / 13) % 500 = 0 THEN 'DEATH'
                        WHEN (h / 13) % 12 = 0 THEN 'TRANSPORTED' ELSE 'RESOLVED_ON_SITE' END,
                   CASE WHEN x.kind IN ('OVERDOSE', 'DRUG_EMERGENCY') THEN (h / 17) % 5 <> 0 END,
                   CASE WHEN x.kind IN ('OVERDOSE', 'DRUG_EMERGENCY') AND (h / 17) % 5 <> 0
                        THEN to_timestamp(extract(epoch FROM first_day::timestamp AT TIME ZONE 'UTC') + span_seconds * k / per_org)
                             + make_interval(hours => ((h / 19) % 120)::int) END
              FROM generate_series(chunk * per_org / chunks, (chunk + 1) * per_org / chunks - 1) k,
                   LATERAL (SELECT (2147483647 & hashint8(org.n * per_org + k)) AS h) hh,
                   LATERAL (SELECT (ARRAY['OVERDOSE', 'OVERDOSE', 'OVERDOSE', 'OVERDOSE', 'DRUG_EMERGENCY', 'MEDICAL_OTHER',
                                          'BEHAVIOURAL', 'NEEDLESTICK', 'OTHER', 'STAFF_INJURY'])[1 + (hh.h / 3) % 10] AS kind) x;
            COMMIT;
        END LOOP;

        PERFORM set_config('harbour.org', org.slug, true);
        INSERT INTO drug_check_sample (org_id, id, site_id, taken_at, expected, sample_kind, methods, results, concerns)
        SELECT org.slug, ('00000000-0000-5000-8000-' || lpad(to_hex(org.n * samples_per_org + k), 12, '0'))::uuid,
               org_sites[1 + (h / 3) % cardinality(org_sites)],
               to_timestamp(extract(epoch FROM first_day::timestamp AT TIME ZONE 'UTC') + span_seconds * k / samples_per_org),
               'OPIOID', 'DRUG', ARRAY['FTIR'], '[]'::jsonb,
               CASE WHEN h % 5 = 0 THEN ARRAY['BENZODIAZEPINE'] WHEN h % 13 = 0 THEN ARRAY['XYLAZINE']
                    WHEN h % 41 = 0 THEN ARRAY['NITAZENE', 'XYLAZINE'] WHEN h % 97 = 0 THEN ARRAY['CARFENTANIL']
                    ELSE '{}'::text[] END
          FROM generate_series(0, samples_per_org - 1) k, LATERAL (SELECT (2147483647 & hashint8(-(org.n * samples_per_org + k))) AS h) hh;
        COMMIT;
        -- What the API's folder does every second: the deltas into the rollups and network sums.
        PERFORM rollup_fold(true);
        COMMIT;
        RAISE NOTICE '% of %: % in % s', org.n + 1, orgs, org.slug, round(extract(epoch FROM clock_timestamp() - started)::numeric, 1);
    END LOOP;
END $$;

ANALYZE organization, site, offering, visit_day, incident, drug_check_sample, site_rollup, site_rollup_concern, network_rollup,
        network_rollup_concern;
