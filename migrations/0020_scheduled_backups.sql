-- The day's scheduled backup, claimed by the one instance that takes it.
CREATE TABLE scheduled_backups (
    day      TEXT PRIMARY KEY,
    taken_at BIGINT NOT NULL,
    file     TEXT NOT NULL
);
