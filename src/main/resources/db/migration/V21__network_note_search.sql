-- The network note search's own read path (issue 11). Under row-level security PostgreSQL may use an index only for
-- leakproof operators, and the text-search match (@@) is not one: every search scanned and ranked every note of
-- the network. This table holds the search vector and the filter columns of NETWORK notes only, kept by a
-- trigger on note, so its read policy can be true and its RUM indexes (one per language) hand back the
-- matches already in rank order. Titles and bodies stay in note and are read under its own policies, by key.

-- The rum extension is not trusted: the database's superuser creates it (deploy/local/postgres.sh provision; on
-- every node of a group, whose package must be installed on each).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'rum')
            AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'The rum extension is missing: a superuser must run CREATE EXTENSION rum in this database first '
            '(docs/kubernetes.md)';
    END IF;
END $$;
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
    PRIMARY KEY (org_id, id),
    -- A row never outlives its note or keeps a key the note no longer has, whatever SQL changed it (TRUNCATE too).
    FOREIGN KEY (org_id, id) REFERENCES note (org_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);

-- Every row is network-visible by construction, so reading it needs no tenant; the application may only read it
-- (its grants), and the trigger, running as the owner, writes it.
ALTER TABLE network_note_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE network_note_search FORCE ROW LEVEL SECURITY;
CREATE POLICY network_note_search_network ON network_note_search USING (true) WITH CHECK (true);
GRANT SELECT ON network_note_search TO ${appRole};

-- Deletes and key changes reach the copy through the foreign key (whose cascade, a trigger named RI_..., fires before
-- these: same-event triggers fire in name order); this keeps what it holds of a note that stays, becomes or stops
-- being NETWORK.
CREATE FUNCTION network_note_search_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.visibility = 'NETWORK' THEN
        INSERT INTO network_note_search (org_id, id, language, theme, kind, tags, created_at, search)
        VALUES (NEW.org_id, NEW.id, NEW.language, NEW.theme, NEW.kind, NEW.tags, NEW.created_at, NEW.search)
        ON CONFLICT (org_id, id) DO UPDATE SET language = EXCLUDED.language, theme = EXCLUDED.theme, kind = EXCLUDED.kind,
            tags = EXCLUDED.tags, created_at = EXCLUDED.created_at, search = EXCLUDED.search;
    ELSE
        DELETE FROM network_note_search WHERE org_id = NEW.org_id AND id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION network_note_search_keep() FROM PUBLIC;

CREATE TRIGGER network_note_search_added AFTER INSERT ON note
    FOR EACH ROW WHEN (NEW.visibility = 'NETWORK') EXECUTE FUNCTION network_note_search_keep();
-- An update that changes nothing searched (its version, its updated_at) leaves the indexes alone.
CREATE TRIGGER network_note_search_changed AFTER UPDATE ON note
    FOR EACH ROW WHEN ((OLD.org_id, OLD.id, OLD.language, OLD.theme, OLD.kind, OLD.tags, OLD.created_at, OLD.visibility, OLD.search)
        IS DISTINCT FROM (NEW.org_id, NEW.id, NEW.language, NEW.theme, NEW.kind, NEW.tags, NEW.created_at, NEW.visibility, NEW.search))
    EXECUTE FUNCTION network_note_search_keep();

-- The owner reads note through its NETWORK policy here (no tenant is set during migrations); the indexes are built
-- after the rows, in one pass each.
INSERT INTO network_note_search (org_id, id, language, theme, kind, tags, created_at, search)
SELECT org_id, id, language, theme, kind, tags, created_at, search FROM note WHERE visibility = 'NETWORK';
CREATE INDEX network_note_search_en ON network_note_search USING rum (search rum_tsvector_ops) WHERE language = 'en';
CREATE INDEX network_note_search_fr ON network_note_search USING rum (search rum_tsvector_ops) WHERE language = 'fr';
