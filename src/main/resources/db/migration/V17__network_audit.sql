-- Append-only audit of the network's own writes: the organization registry (who onboarded, changed,
-- suspended or reactivated an organization) and the service taxonomy. It holds no organization's
-- row-level data, so it has no tenant; network-admin reads it through /v1/admin/audit.
CREATE TABLE network_audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    subject    text,
    client_id  text,
    action     text NOT NULL CHECK (action IN ('CREATE', 'UPDATE', 'DELETE', 'SUSPEND', 'REACTIVATE')),
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    changes    jsonb NOT NULL
);
CREATE INDEX network_audit_entity ON network_audit (entity, entity_id);

CREATE TRIGGER network_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON network_audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only();

GRANT SELECT, INSERT ON network_audit TO ${appRole};
