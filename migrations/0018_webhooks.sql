-- Webhooks. An endpoint receives the events it subscribes to, signed with its
-- secret (Standard Webhooks). Each event for an endpoint is a delivery, written in
-- the transaction of the change it tells of (the outbox); a worker sends it,
-- retrying with backoff, and logs every attempt. A delivery is leased to one
-- instance at a time.
CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    url             TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    -- The event types it receives, separated by spaces.
    events          TEXT NOT NULL,
    secret          TEXT NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    -- Why Kith turned it off, when it did.
    disabled_reason TEXT,
    -- When its deliveries began to fail (none since succeeded).
    failing_since   BIGINT,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    -- Also the message's `webhook-id`: the same on every attempt.
    id              TEXT PRIMARY KEY,
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- Held by an instance sending it until then.
    lease_until     BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id     TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt         INTEGER NOT NULL,
    at              BIGINT NOT NULL,
    response_status INTEGER,
    duration_ms     BIGINT NOT NULL,
    error           TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
