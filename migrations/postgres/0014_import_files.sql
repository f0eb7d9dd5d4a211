-- An import's file, in pieces of up to a megabyte, kept until the import is done,
-- so whichever instance takes the job up reads the same bytes.
CREATE TABLE import_chunks (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (import_id, seq)
);
