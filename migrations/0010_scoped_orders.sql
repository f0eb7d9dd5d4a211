-- An agent's lists in every order they sort by: each assignee's (owner's) live
-- records in the order of each sortable column, so that a page of an agent's
-- list is a seek in one index whatever the order and however many records the
-- team has (created order: leads_assignee_idx and customers_owner_created_idx).
-- The status order is status, then creation (as leads_status_idx).
CREATE INDEX leads_assignee_name_idx ON leads (assignee_id, name, id) WHERE archived_at IS NULL;
CREATE INDEX leads_assignee_company_idx ON leads (assignee_id, company, id) WHERE archived_at IS NULL;
CREATE INDEX leads_assignee_status_idx ON leads (assignee_id, status, created_at, id) WHERE archived_at IS NULL;
CREATE INDEX leads_assignee_updated_idx ON leads (assignee_id, updated_at, id) WHERE archived_at IS NULL;
CREATE INDEX customers_owner_name_idx ON customers (owner_id, name, id) WHERE archived_at IS NULL;
CREATE INDEX customers_owner_company_idx ON customers (owner_id, company, id) WHERE archived_at IS NULL;
CREATE INDEX customers_owner_updated_idx ON customers (owner_id, updated_at, id) WHERE archived_at IS NULL;
