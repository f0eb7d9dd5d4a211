-- Leads, and the customers they convert into (the customers area extends this table).

CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    company     TEXT NOT NULL DEFAULT '',
    owner_id    TEXT NOT NULL REFERENCES users (id),
    lead_id     TEXT UNIQUE,
    version     BIGINT NOT NULL DEFAULT 1,
    archived_at BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX customers_owner_idx ON customers (owner_id, archived_at);
CREATE INDEX customers_email_idx ON customers (email);
CREATE INDEX customers_phone_idx ON customers (phone);

CREATE TABLE leads (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    company     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'won', 'lost')),
    assignee_id TEXT NOT NULL REFERENCES users (id),
    notes       TEXT NOT NULL DEFAULT '',
    customer_id TEXT REFERENCES customers (id),
    -- Lower-cased name, email and company: what the search box matches.
    search_text TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    archived_at BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX leads_list_idx ON leads (archived_at, created_at);
CREATE INDEX leads_assignee_idx ON leads (assignee_id, archived_at, created_at);
CREATE INDEX leads_status_idx ON leads (status, archived_at, created_at);
CREATE INDEX leads_email_idx ON leads (email);
CREATE INDEX leads_phone_idx ON leads (phone);
