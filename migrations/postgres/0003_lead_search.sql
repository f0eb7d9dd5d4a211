-- Substring search over leads (name, email, company) through a trigram index.
-- pg_trgm ships with PostgreSQL and is a trusted extension; where it cannot be
-- installed, search still works (by scanning), only slower.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX leads_search_idx ON leads USING gin (search_text gin_trgm_ops) WHERE archived_at IS NULL;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE WARNING 'pg_trgm is not available: lead search will scan instead of using an index';
END
$$;
