-- Answers to API creates sent with an `Idempotency-Key`, kept 24 hours per token so
-- a retried request answers like the first one instead of creating twice. A row
-- without a status is a request still being worked on.
CREATE TABLE api_idempotency (
    token_id     TEXT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    location     TEXT,
    etag         TEXT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);
