-- Substring search over customers (name, email, company, tags) through a trigram
-- index, as for leads; without pg_trgm, search scans instead.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX customers_search_idx ON customers USING gin (search_text gin_trgm_ops) WHERE archived_at IS NULL;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE WARNING 'pg_trgm is not available: customer search will scan instead of using an index';
END
$$;
