-- Two-factor sign-in (TOTP, RFC 6238).
--
-- `user_totp`: a user's authenticator secret (base32). `confirmed_at` stays
-- NULL while they are still setting it up; only a confirmed secret is asked
-- for at sign-in. `last_step` is the 30-second step of the last code accepted,
-- so a code can never be used twice.
CREATE TABLE user_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);

-- One-time recovery codes: only a SHA-256 hash of each is kept; a used code
-- keeps its row with `used_at` set.
CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    used_at   BIGINT
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- A sign-in whose password was right and whose code is still to come: the
-- browser holds the token (a cookie), the database only its hash.
CREATE TABLE pending_sign_ins (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

-- Freshly made recovery codes, kept only until the page that shows them once
-- has read them (at most ten minutes), for the session that made them.
CREATE TABLE recovery_code_reveals (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    codes      TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
