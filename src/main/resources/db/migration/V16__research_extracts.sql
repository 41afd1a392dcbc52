-- Research extracts (docs/research.md). Projects, extract jobs, their files and the audit are network
-- tables: no organization owns them and none of them holds row-level data of a tenant.

CREATE TABLE research_project (
    id                 uuid PRIMARY KEY,
    title              text NOT NULL,
    purpose            text NOT NULL,
    -- varchar, the type Hibernate binds a string array as, so that array_contains needs no cast
    researchers        varchar[] NOT NULL,
    datasets           varchar[] NOT NULL,
    from_month         date NOT NULL CHECK (extract(day FROM from_month) = 1),
    to_month           date NOT NULL CHECK (extract(day FROM to_month) = 1),
    k                  integer NOT NULL CHECK (k BETWEEN 5 AND 1000),
    expires_on         date NOT NULL,
    keep_site_identity boolean NOT NULL,
    status             text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    -- The project's HMAC key, encrypted (AES-GCM) with the key-encryption key from configuration.
    key_ciphertext     bytea NOT NULL,
    key_rotated_at     timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            bigint NOT NULL DEFAULT 0,
    CHECK (to_month >= from_month)
);
CREATE INDEX research_project_researchers ON research_project USING gin (researchers);

-- A job: claimed with FOR UPDATE SKIP LOCKED by one instance, which keeps heartbeat_at fresh; a job whose
-- heartbeat stops (its instance died) is claimed again and started over, a limited number of times.
CREATE TABLE research_extract (
    id              uuid PRIMARY KEY,
    project_id      uuid NOT NULL REFERENCES research_project (id),
    requested_by    text NOT NULL,
    dataset         text NOT NULL,
    format          text NOT NULL CHECK (format IN ('csv', 'jsonl')),
    from_month      date NOT NULL,
    to_month        date NOT NULL,
    grain           text NOT NULL CHECK (grain IN ('week', 'month', 'quarter')),
    summary_rows    text,
    summary_columns text,
    status          text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'READY', 'FAILED')),
    reason          text,
    attempts        integer NOT NULL DEFAULT 0,
    claimed_by      text,
    heartbeat_at    timestamptz,
    expected_rows   bigint,
    progress_rows   bigint NOT NULL DEFAULT 0,
    rows            bigint,
    suppressed_rows bigint,
    suppressed_cells bigint,
    generalizations jsonb,
    header          text[],
    sha256          text,
    bytes           bigint,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE INDEX research_extract_pending ON research_extract (requested_at) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX research_extract_project ON research_extract (project_id, requested_at DESC);

-- The gzip file of a READY extract, in chunks, so that any instance can stream it and none holds it whole.
CREATE TABLE research_extract_chunk (
    extract_id uuid NOT NULL REFERENCES research_extract (id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (extract_id, seq)
);

-- Append-only: who asked for or downloaded what, with the figures of the file.
CREATE TABLE research_audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    project_id uuid NOT NULL REFERENCES research_project (id),
    extract_id uuid,
    subject    text NOT NULL,
    action     text NOT NULL CHECK (action IN ('PROJECT_CREATED', 'PROJECT_SUSPENDED', 'PROJECT_REACTIVATED', 'KEY_ROTATED',
                                               'EXTRACT_REQUESTED', 'EXTRACT_READY', 'EXTRACT_FAILED', 'DOWNLOADED')),
    details    jsonb NOT NULL
);
CREATE INDEX research_audit_project ON research_audit (project_id, id DESC);

CREATE FUNCTION research_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'research_audit is append-only';
END $$;
CREATE TRIGGER research_audit_append_only BEFORE UPDATE OR DELETE ON research_audit
    FOR EACH STATEMENT EXECUTE FUNCTION research_audit_append_only();

GRANT SELECT, INSERT, UPDATE ON research_project TO ${appRole};
GRANT SELECT, INSERT, UPDATE ON research_extract TO ${appRole};
GRANT SELECT, INSERT, DELETE ON research_extract_chunk TO ${appRole};
GRANT SELECT, INSERT ON research_audit TO ${appRole};

-- The extracts' read path: its own login role (${researchRole}), read-only, which sees every organization's
-- rows through policies made for it, and of those rows only the columns an extract may derive from: never a
-- note, an external reference, a free-text reason, a name or an address. It cannot read the research
-- tables (keys) either.
GRANT USAGE ON SCHEMA public TO ${researchRole};
GRANT SELECT (org_id, id, kind, province, health_region, time_zone) ON site TO ${researchRole};
CREATE POLICY site_research_read ON site FOR SELECT TO ${researchRole} USING (true);
GRANT SELECT (org_id, id, site_id, occurred_at, location, kind, substances, mode, naloxone_doses, naloxone_route, oxygen,
              rescue_breathing, bag_valve_mask, peer_naloxone_before_staff, ems_called, ems_attended, police_attended,
              outcome, flailing_in_small_space, debrief_held, debrief_at) ON incident TO ${researchRole};
CREATE POLICY incident_research_read ON incident FOR SELECT TO ${researchRole} USING (true);
GRANT SELECT (org_id, site_id, day, visits, unique_clients, by_mode, by_substance, referrals, turned_away)
    ON visit_day TO ${researchRole};
CREATE POLICY visit_day_research_read ON visit_day FOR SELECT TO ${researchRole} USING (true);
GRANT SELECT (org_id, id, site_id, taken_at, expected, sample_kind, methods, results, concerns)
    ON drug_check_sample TO ${researchRole};
CREATE POLICY drug_check_sample_research_read ON drug_check_sample FOR SELECT TO ${researchRole} USING (true);
GRANT SELECT (org_id, team, month, trainings, pulse) ON resiliency_month TO ${researchRole};
CREATE POLICY resiliency_month_research_read ON resiliency_month FOR SELECT TO ${researchRole} USING (true);
