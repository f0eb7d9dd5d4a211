-- Personal API tokens. Only a SHA-256 hash of a token is kept; its prefix (the first
-- characters) tells a person's tokens apart. A token acts as its owner, with the
-- owner's current role, reading only or reading and writing.
CREATE TABLE api_tokens (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    prefix         TEXT NOT NULL,
    token_hash     TEXT NOT NULL UNIQUE,
    scope          TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT,
    last_used_at   BIGINT,
    last_used_from TEXT,
    revoked_at     BIGINT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

-- A token made just now, waiting (ten minutes at most) for the page that shows it
-- once to the session that made it.
CREATE TABLE api_token_reveals (
    session_id TEXT PRIMARY KEY,
    token      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
