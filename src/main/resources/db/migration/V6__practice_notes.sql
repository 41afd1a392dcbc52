-- Practice notes: the community of practice the guidebook compiled. Searchable in English and French,
-- each note with its own language's configuration, accents ignored (unaccent before stemming).
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION harbour_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION harbour_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION harbour_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION harbour_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- Declared immutable so that it can generate a stored column: it names its configurations by schema,
-- and they change only through a migration (which must then rebuild the column).
CREATE FUNCTION note_search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN language = 'fr' THEN 'public.harbour_fr'::regconfig ELSE 'public.harbour_en'::regconfig END
$$;
CREATE FUNCTION note_search_vector(language text, title text, body text) RETURNS tsvector LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector(note_search_config(language), coalesce(title, '')), 'A')
        || setweight(to_tsvector(note_search_config(language), coalesce(body, '')), 'B')
$$;

CREATE TABLE note (
    org_id         text NOT NULL REFERENCES organization (slug),
    id             uuid NOT NULL,
    author_subject text,
    title          text NOT NULL,
    body           text NOT NULL,
    language       text NOT NULL CHECK (language IN ('en', 'fr')),
    theme          text NOT NULL CHECK (theme IN ('EXPANDING_MODELS', 'REGULATORY', 'OPERATIONS', 'COMMUNITY_ENGAGEMENT',
                                                  'STAFF_RESILIENCY')),
    kind           text NOT NULL CHECK (kind IN ('ISSUE', 'TIP')),
    tags           text[] NOT NULL DEFAULT '{}',
    visibility     text NOT NULL CHECK (visibility IN ('ORGANIZATION', 'NETWORK')),
    search         tsvector GENERATED ALWAYS AS (note_search_vector(language, title, body)) STORED,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX note_search ON note USING gin (search);
CREATE INDEX note_network ON note (created_at DESC, id DESC) WHERE visibility = 'NETWORK';
CREATE INDEX note_tags ON note USING gin (tags);

CALL tenant_table('note');
-- The explicit network read path: a NETWORK note is readable by every member, from any tenant or none.
CREATE POLICY note_network_read ON note FOR SELECT USING (visibility = 'NETWORK');

GRANT SELECT, INSERT, UPDATE, DELETE ON note TO ${appRole};
