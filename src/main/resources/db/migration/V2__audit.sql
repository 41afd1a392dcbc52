-- Append-only audit of every write. The application may insert and read (its own tenant's rows, by RLS),
-- never update or delete; a trigger refuses both even to the owner, so a mistake in grants cannot
-- open it up.
-- Ids come from a sequence in blocks of 50, so that a bulk import batches its audit inserts.
CREATE SEQUENCE audit_entry_seq INCREMENT BY 50;
CREATE TABLE audit_entry (
    org_id     text NOT NULL REFERENCES organization (slug),
    id         bigint NOT NULL DEFAULT nextval('audit_entry_seq'),
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    subject    text,
    client_id  text,
    action     text NOT NULL CHECK (action IN ('CREATE', 'UPDATE', 'DELETE', 'CLOSE')),
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    changes    jsonb NOT NULL,
    import_id  uuid,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX audit_entry_entity ON audit_entry (org_id, entity, entity_id);

CREATE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END $$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only();

CALL tenant_table('audit_entry');

GRANT SELECT, INSERT ON audit_entry TO ${appRole};
GRANT USAGE ON SEQUENCE audit_entry_seq TO ${appRole};
