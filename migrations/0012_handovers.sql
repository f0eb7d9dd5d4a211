-- A deleted user's records on their way to the team member who receives them.
-- When the user held more than a few thousand records, the deletion answers at
-- once and the records move in the background, one batch per transaction, each
-- logged on its record as before. Any instance may carry a handover on, one at a
-- time (`claimed_until` is its lease); one left unfinished by a stopped server is
-- taken up again when a server starts.
CREATE TABLE handovers (
    id TEXT PRIMARY KEY,
    from_id TEXT NOT NULL REFERENCES users (id),
    from_name TEXT NOT NULL,
    to_id TEXT NOT NULL REFERENCES users (id),
    to_name TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    claimed_until BIGINT,
    finished_at BIGINT
);
CREATE INDEX handovers_unfinished_idx ON handovers (created_at) WHERE finished_at IS NULL;
