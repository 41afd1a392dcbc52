-- Incidents: overdoses and the rest, the response, the outcome and the staff debrief. The note is free
-- text that never leaves the organization. externalRef makes retries safe.
CREATE TABLE incident (
    org_id                     text NOT NULL REFERENCES organization (slug),
    id                         uuid NOT NULL,
    external_ref               text,
    site_id                    uuid,
    occurred_at                timestamptz NOT NULL,
    location                   text NOT NULL CHECK (location IN ('INSIDE', 'OUTSIDE_NEARBY', 'HOUSING_UNIT', 'WASHROOM', 'OUTREACH')),
    kind                       text NOT NULL CHECK (kind IN ('OVERDOSE', 'DRUG_EMERGENCY', 'MEDICAL_OTHER', 'BEHAVIOURAL',
                                                             'STAFF_INJURY', 'NEEDLESTICK', 'OTHER')),
    substances                 text[],
    mode                       text,
    naloxone_doses             smallint CHECK (naloxone_doses BETWEEN 0 AND 20),
    naloxone_route             text,
    oxygen                     boolean,
    rescue_breathing           boolean,
    bag_valve_mask             boolean,
    peer_naloxone_before_staff boolean,
    ems_called                 boolean,
    ems_attended               boolean,
    police_attended            boolean,
    outcome                    text CHECK (outcome IN ('RESOLVED_ON_SITE', 'TRANSPORTED', 'REFUSED_TRANSPORT', 'DEATH', 'UNKNOWN')),
    flailing_in_small_space    boolean,
    note                       text,
    empty_reasons              jsonb,
    debrief_held               boolean,
    debrief_at                 timestamptz,
    debrief_kind               text CHECK (debrief_kind IN ('HOT', 'FORMAL', 'INDIVIDUAL')),
    correction_reason          text,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    version                    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, external_ref),
    FOREIGN KEY (org_id, site_id) REFERENCES site (org_id, id)
);
CREATE INDEX incident_occurred ON incident (org_id, occurred_at DESC, id DESC);
CREATE INDEX incident_site ON incident (org_id, site_id, occurred_at);

CALL tenant_table('incident');

GRANT SELECT, INSERT, UPDATE ON incident TO ${appRole};
