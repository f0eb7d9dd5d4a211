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
-- Each sortable column has a partial index over live leads ending in id (the
-- tie-breaker), so a page is read in order from an index instead of sorting the
-- whole table. (PostgreSQL does not order by columns after an `IS NULL` key.)
CREATE INDEX leads_created_idx ON leads (created_at, id) WHERE archived_at IS NULL;
CREATE INDEX leads_updated_idx ON leads (updated_at, id) WHERE archived_at IS NULL;
CREATE INDEX leads_name_idx ON leads (name, id) WHERE archived_at IS NULL;
CREATE INDEX leads_company_idx ON leads (company, id) WHERE archived_at IS NULL;
CREATE INDEX leads_status_idx ON leads (status, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX leads_assignee_idx ON leads (assignee_id, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX leads_archived_idx ON leads (archived_at) WHERE archived_at IS NOT NULL;
CREATE INDEX leads_email_idx ON leads (email);
CREATE INDEX leads_phone_idx ON leads (phone);
