-- Customers gain tags and search; notes and tasks attach to leads and customers.

ALTER TABLE customers ADD COLUMN tags TEXT NOT NULL DEFAULT '';
-- Lower-cased name, email, company and tags: what the search box matches.
ALTER TABLE customers ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE customers SET search_text = lower(name || ' ' || email || ' ' || company);

-- As for leads: one partial index per sortable column over live customers, ending in id.
CREATE INDEX customers_created_idx ON customers (created_at, id) WHERE archived_at IS NULL;
CREATE INDEX customers_updated_idx ON customers (updated_at, id) WHERE archived_at IS NULL;
CREATE INDEX customers_name_idx ON customers (name, id) WHERE archived_at IS NULL;
CREATE INDEX customers_company_idx ON customers (company, id) WHERE archived_at IS NULL;
CREATE INDEX customers_owner_created_idx ON customers (owner_id, created_at, id) WHERE archived_at IS NULL;

-- A customer's tags, one row each, so the tag filter is an index lookup;
-- `customers.tags` keeps the same tags as display text, written together.
CREATE TABLE customer_tags (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag_idx ON customer_tags (tag, customer_id);

-- A note belongs to exactly one lead or one customer.
CREATE TABLE notes (
    id          TEXT PRIMARY KEY,
    lead_id     TEXT REFERENCES leads (id),
    customer_id TEXT REFERENCES customers (id),
    author_id   TEXT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CHECK ((lead_id IS NULL AND customer_id IS NOT NULL) OR (lead_id IS NOT NULL AND customer_id IS NULL))
);
CREATE INDEX notes_lead_idx ON notes (lead_id, created_at) WHERE lead_id IS NOT NULL;
CREATE INDEX notes_customer_idx ON notes (customer_id, created_at) WHERE customer_id IS NOT NULL;

-- A task is due on a day of the organisation's calendar, optionally at a time;
-- `due_at` is the instant it becomes overdue (that time, or the end of that day,
-- in the organisation's time zone), recomputed when the time zone changes.
CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    due_date     TEXT NOT NULL,
    due_time     TEXT,
    due_at       BIGINT NOT NULL,
    priority     TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high')),
    status       TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done')),
    assignee_id  TEXT NOT NULL REFERENCES users (id),
    lead_id      TEXT REFERENCES leads (id),
    customer_id  TEXT REFERENCES customers (id),
    completed_at BIGINT,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CHECK (lead_id IS NULL OR customer_id IS NULL)
);
CREATE INDEX tasks_due_idx ON tasks (due_at, id);
CREATE INDEX tasks_assignee_due_idx ON tasks (assignee_id, due_at, id);
-- Overdue and open counts read only the tasks not done.
CREATE INDEX tasks_open_idx ON tasks (assignee_id, due_at) WHERE status <> 'done';
CREATE INDEX tasks_lead_idx ON tasks (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX tasks_customer_idx ON tasks (customer_id) WHERE customer_id IS NOT NULL;
