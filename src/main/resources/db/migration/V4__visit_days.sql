-- What a site reports per local date (the figures Health Canada collects monthly). One row per site and
-- date; posting the date again replaces it. Unique clients are stored per day and never summed by the API.
CREATE TABLE visit_day (
    org_id            text NOT NULL,
    site_id           uuid NOT NULL,
    day               date NOT NULL,
    visits            integer NOT NULL CHECK (visits >= 0),
    unique_clients    integer CHECK (unique_clients >= 0 AND unique_clients <= visits),
    by_mode           jsonb,
    by_substance      jsonb,
    services_provided jsonb,
    referrals         jsonb,
    turned_away       jsonb,
    by_gender         jsonb,
    by_age_band       jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, site_id, day),
    FOREIGN KEY (org_id, site_id) REFERENCES site (org_id, id)
);
CREATE INDEX visit_day_by_day ON visit_day (org_id, day);

CALL tenant_table('visit_day');

GRANT SELECT, INSERT, UPDATE, DELETE ON visit_day TO ${appRole};
