-- Indexes a long import does without (SQLite): their names and the statements that
-- build them again when it ends, or when Kith next opens the database after a crash.
CREATE TABLE put_off_indexes (
    name TEXT PRIMARY KEY,
    sql TEXT NOT NULL
);
