-- Mappings a team member saved under a name, to use again on the next export of
-- the same kind: the columns they were made for and the plan (a field per column,
-- status values, rules), as JSON. A name is its owner's, per kind.
CREATE TABLE import_mappings (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    headers    TEXT NOT NULL,
    plan       TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (created_by, kind, name)
);
