-- The dashboard's numbers.
--
-- Live (not archived) leads are counted per assignee and status, and per assignee
-- and 15-minute slot of creation (`created_at / 900000`). Every time zone's
-- midnight falls on a slot boundary, so "leads created per day" sums at most
-- 14 × 96 slots per agent instead of reading every lead of the last two weeks.
-- Triggers (0007, one file per backend) keep both tables in step with `leads`
-- inside the transaction of each change.
CREATE TABLE lead_status_counts (
    assignee_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (assignee_id, status)
);
CREATE TABLE lead_created_counts (
    slot        BIGINT NOT NULL,
    assignee_id TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (slot, assignee_id)
);
INSERT INTO lead_status_counts (assignee_id, status, n)
    SELECT assignee_id, status, COUNT(*) FROM leads WHERE archived_at IS NULL GROUP BY assignee_id, status;
INSERT INTO lead_created_counts (slot, assignee_id, n)
    SELECT created_at / 900000, assignee_id, COUNT(*) FROM leads WHERE archived_at IS NULL
    GROUP BY created_at / 900000, assignee_id;

-- When a lead last became Closed Won ("won this month"); set by the 0007 triggers.
-- Leads won before this column existed take their last change as the moment.
ALTER TABLE leads ADD COLUMN won_at BIGINT;
UPDATE leads SET won_at = updated_at WHERE status = 'won';
CREATE INDEX leads_won_idx ON leads (won_at, assignee_id) WHERE archived_at IS NULL AND won_at IS NOT NULL;

-- Overdue tasks, oldest first, for everyone (the per-assignee index serves agents);
-- open and overdue counts per assignee read the open-task index alone, status included.
CREATE INDEX tasks_open_due_idx ON tasks (due_at, id) WHERE status <> 'done';
DROP INDEX tasks_open_idx;
CREATE INDEX tasks_open_idx ON tasks (assignee_id, due_at, status) WHERE status <> 'done';
-- The activity page reads newest first, ties broken by id, straight from an index;
-- per record type and per action too.
DROP INDEX activity_at_idx;
CREATE INDEX activity_at_idx ON activity (at, id);
CREATE INDEX activity_type_at_idx ON activity (entity_type, at, id);
CREATE INDEX activity_action_at_idx ON activity (action, at, id);
