-- Keeps the dashboard's lead counts (0006) and `won_at` in step with `leads`, and
-- makes the activity log append-only: no statement can change or remove an entry.

CREATE FUNCTION leads_keep_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.assignee_id = NEW.assignee_id AND OLD.status = NEW.status
        AND (OLD.archived_at IS NULL) = (NEW.archived_at IS NULL)
        AND OLD.created_at / 900000 = NEW.created_at / 900000 THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.archived_at IS NULL THEN
        UPDATE lead_status_counts SET n = n - 1 WHERE assignee_id = OLD.assignee_id AND status = OLD.status;
        UPDATE lead_created_counts SET n = n - 1
            WHERE slot = OLD.created_at / 900000 AND assignee_id = OLD.assignee_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.archived_at IS NULL THEN
        INSERT INTO lead_status_counts AS c (assignee_id, status, n) VALUES (NEW.assignee_id, NEW.status, 1)
            ON CONFLICT (assignee_id, status) DO UPDATE SET n = c.n + 1;
        INSERT INTO lead_created_counts AS c (slot, assignee_id, n) VALUES (NEW.created_at / 900000, NEW.assignee_id, 1)
            ON CONFLICT (slot, assignee_id) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER leads_keep_counts AFTER INSERT OR DELETE OR UPDATE OF assignee_id, status, archived_at, created_at ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_keep_counts();

CREATE FUNCTION leads_set_won_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'won' THEN
        NEW.won_at := NULL;
    ELSIF TG_OP = 'INSERT' THEN
        NEW.won_at := COALESCE(NEW.won_at, NEW.created_at);
    ELSIF OLD.status <> 'won' THEN
        NEW.won_at := NEW.updated_at;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_set_won_at BEFORE INSERT OR UPDATE OF status ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_set_won_at();

CREATE FUNCTION activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the activity log is append-only';
END
$$;
CREATE TRIGGER activity_no_change BEFORE UPDATE OR DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_append_only();
CREATE TRIGGER activity_no_truncate BEFORE TRUNCATE ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION activity_append_only();
