-- Kith's foundation: users, sessions with rotating refresh tokens, login
-- throttling, shared settings and the activity log.
-- Portable between SQLite and PostgreSQL: ids are UUIDv7 text, times are UTC
-- epoch milliseconds (BIGINT), flags are 0/1 BIGINT.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    last_login_at BIGINT
);
-- Emails are stored trimmed and lower-cased, so this is case-insensitive uniqueness.
CREATE UNIQUE INDEX users_email_key ON users (email);

-- A session is one sign-in on one device: the family of its refresh tokens.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    user_agent   TEXT NOT NULL DEFAULT '',
    client_addr  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Only a SHA-256 hash of each refresh token is kept.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE login_throttle (
    throttle_key      TEXT PRIMARY KEY,
    failures          BIGINT NOT NULL,
    window_started_at BIGINT NOT NULL,
    locked_until      BIGINT
);

CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Append-only. No foreign keys on purpose: an entry outlives the record it describes.
CREATE TABLE activity (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT,
    label       TEXT NOT NULL,
    changes     TEXT
);
CREATE INDEX activity_at_idx ON activity (at);
CREATE INDEX activity_entity_idx ON activity (entity_type, entity_id);
CREATE INDEX activity_actor_idx ON activity (actor_id, at);
