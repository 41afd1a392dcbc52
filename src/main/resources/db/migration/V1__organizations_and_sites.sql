-- Runs as the owner role. The application connects as ${appRole}, which owns nothing and cannot bypass
-- row-level security; every tenant table has RLS enabled and forced, keyed on harbour.org.

CREATE TABLE organization (
    slug          text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
    legal_name_en text NOT NULL,
    legal_name_fr text NOT NULL,
    provinces     text[] NOT NULL,
    issuer        text NOT NULL UNIQUE,
    audience      text NOT NULL,
    status        text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       bigint NOT NULL DEFAULT 0
);

-- Tenant tables carry org_id in their primary and foreign keys, so that they can be distributed by org_id.
CREATE TABLE site (
    org_id               text NOT NULL REFERENCES organization (slug),
    id                   uuid NOT NULL,
    external_ref         text,
    name                 text NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('SCS', 'OPS', 'MOBILE', 'HOUSING', 'HOSPITAL', 'PARAMEDIC', 'DISPENSING')),
    model                text NOT NULL CHECK (model IN ('STANDALONE', 'INTEGRATED')),
    address              text,
    city                 text NOT NULL,
    province             text NOT NULL CHECK (province ~ '^CA-(AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)$'),
    health_region        text,
    time_zone            text NOT NULL,
    booths               integer CHECK (booths >= 0),
    opened_on            date,
    closed_on            date,
    status               text NOT NULL CHECK (status IN ('PLANNED', 'ACTIVE', 'TEMPORARILY_CLOSED', 'CLOSED')),
    exemption_number     text,
    exemption_issued_on  date,
    exemption_expires_on date,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, external_ref),
    CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on)
);
CREATE INDEX site_org_province_kind ON site (org_id, province, kind);
CREATE INDEX site_exemption_expiry ON site (exemption_expires_on) WHERE exemption_expires_on IS NOT NULL;

-- Every tenant table: row-level security enabled and forced (the owner too), one policy keyed on harbour.org,
-- which the application sets per transaction. A table with org_id and no call here fails IsolationTest.
CREATE PROCEDURE tenant_table(tbl text) LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = current_setting(''harbour.org'', true)) '
                   'WITH CHECK (org_id = current_setting(''harbour.org'', true))', tbl || '_tenant', tbl);
END $$;

REVOKE EXECUTE ON PROCEDURE tenant_table(text) FROM PUBLIC;

CALL tenant_table('site');

GRANT USAGE ON SCHEMA public TO ${appRole};
GRANT SELECT, INSERT, UPDATE ON organization TO ${appRole};
GRANT SELECT, INSERT, UPDATE ON site TO ${appRole};
