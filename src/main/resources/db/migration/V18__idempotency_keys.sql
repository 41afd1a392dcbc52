-- Idempotency-Key on POST: the first answer to a caller's key is kept 24 hours and given again to a retry
-- of the same request. An answer can hold an organization's data, so rows are its own (row-level security);
-- answers of network paths (no organization) are rows of their own, seen only by transactions without one.
CREATE TABLE idempotency_key (
    org_id       text NOT NULL,
    caller       text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer,
    content_type text,
    location     text,
    etag         text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (org_id, caller, key)
);
CREATE INDEX idempotency_key_expiry ON idempotency_key (expires_at);

ALTER TABLE idempotency_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_key FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_key_scope ON idempotency_key
    USING (org_id = coalesce(nullif(current_setting('harbour.org', true), ''), '-network-'))
    WITH CHECK (org_id = coalesce(nullif(current_setting('harbour.org', true), ''), '-network-'));

GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_key TO ${appRole};

-- Expired keys of every organization go in one statement, run as the owner for the application; row-level
-- security is forced on the owner too, so the owner may delete expired rows and nothing else.
CREATE POLICY idempotency_key_expired ON idempotency_key FOR DELETE TO CURRENT_USER USING (expires_at < now());
CREATE POLICY idempotency_key_expired_read ON idempotency_key FOR SELECT TO CURRENT_USER USING (expires_at < now());
CREATE FUNCTION idempotency_key_purge() RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH gone AS (DELETE FROM idempotency_key WHERE expires_at < now() RETURNING 1) SELECT count(*)::integer FROM gone
$$;
REVOKE EXECUTE ON FUNCTION idempotency_key_purge() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION idempotency_key_purge() TO ${appRole};
