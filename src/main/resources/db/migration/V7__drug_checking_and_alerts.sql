-- Drug checking: a sample and what was found in it (one result per substance and method, kept with the
-- sample). Network alerts hold no row-level data: substance, province, ISO week and counts only.
CREATE TABLE drug_check_sample (
    org_id       text NOT NULL REFERENCES organization (slug),
    id           uuid NOT NULL,
    external_ref text,
    site_id      uuid NOT NULL,
    taken_at     timestamptz NOT NULL,
    expected     text NOT NULL,
    sample_kind  text NOT NULL CHECK (sample_kind IN ('DRUG', 'USED_EQUIPMENT')),
    methods      text[] NOT NULL,
    results      jsonb NOT NULL,
    concerns     text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, external_ref),
    FOREIGN KEY (org_id, site_id) REFERENCES site (org_id, id)
);
CREATE INDEX drug_check_sample_taken ON drug_check_sample (org_id, taken_at DESC, id DESC);

CALL tenant_table('drug_check_sample');

CREATE TABLE network_alert (
    substance  text NOT NULL,
    province   text NOT NULL,
    week       text NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
    samples    integer NOT NULL,
    sites      integer NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    version    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (substance, province, week)
);
CREATE INDEX network_alert_recent ON network_alert (last_seen DESC);

-- Counts distinct sites per alert without keeping which: a keyed hash of the site, never exposed.
CREATE TABLE network_alert_site (
    substance text NOT NULL,
    province  text NOT NULL,
    week      text NOT NULL,
    site_key  text NOT NULL,
    PRIMARY KEY (substance, province, week, site_key)
);

GRANT SELECT, INSERT ON drug_check_sample TO ${appRole};
GRANT SELECT, INSERT, UPDATE ON network_alert TO ${appRole};
GRANT SELECT, INSERT ON network_alert_site TO ${appRole};
