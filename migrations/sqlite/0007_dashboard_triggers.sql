-- Keeps the dashboard's lead counts (0006) and `won_at` in step with `leads`, and
-- makes the activity log append-only: no statement can change or remove an entry.

CREATE TRIGGER leads_counts_insert AFTER INSERT ON leads WHEN NEW.archived_at IS NULL BEGIN
    INSERT INTO lead_status_counts (assignee_id, status, n) VALUES (NEW.assignee_id, NEW.status, 1)
        ON CONFLICT (assignee_id, status) DO UPDATE SET n = n + 1;
    INSERT INTO lead_created_counts (slot, assignee_id, n) VALUES (NEW.created_at / 900000, NEW.assignee_id, 1)
        ON CONFLICT (slot, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_counts_update AFTER UPDATE OF assignee_id, status, archived_at, created_at ON leads
WHEN OLD.assignee_id <> NEW.assignee_id OR OLD.status <> NEW.status
    OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)
    OR OLD.created_at / 900000 <> NEW.created_at / 900000
BEGIN
    UPDATE lead_status_counts SET n = n - 1
        WHERE OLD.archived_at IS NULL AND assignee_id = OLD.assignee_id AND status = OLD.status;
    UPDATE lead_created_counts SET n = n - 1
        WHERE OLD.archived_at IS NULL AND slot = OLD.created_at / 900000 AND assignee_id = OLD.assignee_id;
    INSERT INTO lead_status_counts (assignee_id, status, n)
        SELECT NEW.assignee_id, NEW.status, 1 WHERE NEW.archived_at IS NULL
        ON CONFLICT (assignee_id, status) DO UPDATE SET n = n + 1;
    INSERT INTO lead_created_counts (slot, assignee_id, n)
        SELECT NEW.created_at / 900000, NEW.assignee_id, 1 WHERE NEW.archived_at IS NULL
        ON CONFLICT (slot, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_counts_delete AFTER DELETE ON leads WHEN OLD.archived_at IS NULL BEGIN
    UPDATE lead_status_counts SET n = n - 1 WHERE assignee_id = OLD.assignee_id AND status = OLD.status;
    UPDATE lead_created_counts SET n = n - 1 WHERE slot = OLD.created_at / 900000 AND assignee_id = OLD.assignee_id;
END;

CREATE TRIGGER leads_won_at_insert AFTER INSERT ON leads WHEN NEW.status = 'won' AND NEW.won_at IS NULL BEGIN
    UPDATE leads SET won_at = NEW.created_at WHERE id = NEW.id;
END;

CREATE TRIGGER leads_won_at_update AFTER UPDATE OF status ON leads WHEN OLD.status <> NEW.status BEGIN
    UPDATE leads SET won_at = CASE WHEN NEW.status = 'won' THEN NEW.updated_at END WHERE id = NEW.id;
END;

CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;
