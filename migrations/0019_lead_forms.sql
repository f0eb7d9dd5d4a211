-- Web-to-lead forms. A form has a public key that its HTML snippet posts to, the
-- lead fields it accepts, who gets its leads (one agent, or each of several in
-- turn: `next_turn` counts the leads handed out), and a thank-you page to send
-- visitors to.
CREATE TABLE lead_forms (
    id           TEXT PRIMARY KEY,
    public_key   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    -- The lead fields it accepts, separated by spaces (the name always).
    fields       TEXT NOT NULL,
    -- The user ids its leads go to, in turn, separated by spaces.
    assignees    TEXT NOT NULL,
    next_turn    BIGINT NOT NULL DEFAULT 0,
    -- Leads its posts have made (posts turned into notes not counted).
    leads_made   BIGINT NOT NULL DEFAULT 0,
    redirect_url TEXT,
    enabled      INTEGER NOT NULL DEFAULT 1,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- Posts counted per form and per sending address in fixed windows, so the limits
-- hold across instances.
CREATE TABLE lead_form_posts (
    bucket       TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    posts        INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
