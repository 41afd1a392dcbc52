-- The network note search's own read path (issue 11). Under row-level security PostgreSQL may use an index only for
-- leakproof operators, and the text-search match (@@) is not one: every search scanned and ranked every note of
-- the network. This table holds the search vector and the filter columns of NETWORK notes only, kept by a
-- trigger on note, so its read policy can be true and its RUM indexes (one per language) hand back the
-- matches already in rank order. Titles and bodies stay in note and are read under its own policies, by key.
-- The rum extension is not trusted: the database's superuser creates it (deploy/local/postgres.sh provision).
CREATE EXTENSION IF NOT EXISTS rum;

CREATE TABLE network_note_search (
    org_id     text NOT NULL,
    id         uuid NOT NULL,
    language   text NOT NULL,
    theme      text NOT NULL,
    kind       text NOT NULL,
    tags       text[] NOT NULL,
    created_at timestamptz NOT NULL,
    search     tsvector NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX network_note_search_en ON network_note_search USING rum (search rum_tsvector_ops) WHERE language = 'en';
CREATE INDEX network_note_search_fr ON network_note_search USING rum (search rum_tsvector_ops) WHERE language = 'fr';

-- Every row is network-visible by construction, so reading it needs no tenant; only the trigger (running as the
-- owner) writes it.
ALTER TABLE network_note_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE network_note_search FORCE ROW LEVEL SECURITY;
CREATE POLICY network_note_search_read ON network_note_search FOR SELECT USING (true);
CREATE POLICY network_note_search_kept ON network_note_search TO CURRENT_USER USING (true) WITH CHECK (true);
GRANT SELECT ON network_note_search TO ${appRole};

CREATE FUNCTION network_note_search_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.visibility <> 'NETWORK' THEN
        DELETE FROM network_note_search WHERE org_id = OLD.org_id AND id = OLD.id;
    ELSE
        INSERT INTO network_note_search (org_id, id, language, theme, kind, tags, created_at, search)
        VALUES (NEW.org_id, NEW.id, NEW.language, NEW.theme, NEW.kind, NEW.tags, NEW.created_at, NEW.search)
        ON CONFLICT (org_id, id) DO UPDATE SET language = EXCLUDED.language, theme = EXCLUDED.theme, kind = EXCLUDED.kind,
            tags = EXCLUDED.tags, created_at = EXCLUDED.created_at, search = EXCLUDED.search;
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION network_note_search_keep() FROM PUBLIC;

CREATE TRIGGER network_note_search_keep AFTER INSERT OR UPDATE OR DELETE ON note
    FOR EACH ROW EXECUTE FUNCTION network_note_search_keep();

-- The owner reads note through its NETWORK policy here (no tenant is set during migrations).
INSERT INTO network_note_search (org_id, id, language, theme, kind, tags, created_at, search)
SELECT org_id, id, language, theme, kind, tags, created_at, search FROM note WHERE visibility = 'NETWORK';
