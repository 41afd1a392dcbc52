-- Staff resiliency per organization, team and month: trainings held and an anonymous wellbeing pulse
-- aggregated from the organization's own survey. Pulses of fewer than 5 respondents are refused, never stored.
CREATE TABLE resiliency_month (
    org_id     text NOT NULL REFERENCES organization (slug),
    team       text NOT NULL,
    month      date NOT NULL CHECK (extract(day FROM month) = 1),
    trainings  jsonb NOT NULL DEFAULT '[]',
    pulse      jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, team, month),
    CHECK (pulse IS NULL OR (pulse ->> 'respondents')::int >= 5)
);

CALL tenant_table('resiliency_month');

GRANT SELECT, INSERT, UPDATE ON resiliency_month TO ${appRole};
