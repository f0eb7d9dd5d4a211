-- Imports: a file of leads or customers brought in as a job stored here, so it
-- survives a restart and any instance may carry it on, one at a time
-- (`claimed_by` holds its claim until `claimed_until`, renewed with every batch;
-- a batch whose claim was taken over rolls back).
-- `state`: mapping (uploaded, columns being chosen) → queued → done or failed;
-- undo → undoing → undone. `rows_done` counts the file's rows written so far: it
-- moves in the transaction of each batch, so a job taken up again starts after it.
CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    -- How the file is read (format, encoding, delimiter, sheet), its headers and first rows, as JSON.
    reading TEXT NOT NULL,
    head TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    -- The decisions (a field per column, statuses, duplicates, default assignee), as JSON.
    plan TEXT,
    -- What the preview of that plan found, as JSON.
    preview TEXT,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    -- The instance working on it (a token of its claim) and until when.
    claimed_by TEXT,
    claimed_until BIGINT,
    undone_by TEXT REFERENCES users (id),
    rows_done BIGINT NOT NULL DEFAULT 0,
    created BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    rejected BIGINT NOT NULL DEFAULT 0,
    -- Records undone so far, and those left alone because they changed since.
    undo_done BIGINT NOT NULL DEFAULT 0,
    undo_kept BIGINT NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX imports_by_creator_idx ON imports (created_by, created_at);
CREATE INDEX imports_pending_idx ON imports (created_at) WHERE state IN ('queued', 'undoing');

-- A refused row: its values as JSON and why, for the download to fix and import again.
CREATE TABLE import_rejects (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number BIGINT NOT NULL,
    cells TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number)
);

-- What an import wrote, for undo: each record created or updated, its version
-- after the import (a record changed since is left alone), and for an update the
-- values it had before, as the form's JSON.
CREATE TABLE import_records (
    import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number BIGINT NOT NULL,
    record_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    previous TEXT,
    -- 0: not undone; 1: undone; 2: left alone by undo, changed since.
    undone BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, row_number)
);
