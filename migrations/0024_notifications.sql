-- In-app notifications, kept per person: a record assigned to them, an @mention in
-- a note, a task of theirs due within the hour or overdue. A reminder (kind due_soon
-- or overdue) carries the due moment it is about, and the unique index makes the
-- minute's sweep idempotent however many instances run it; other notifications have
-- no due moment, so they never collide. A notification goes with its person.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    label       TEXT NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    excerpt     TEXT NOT NULL DEFAULT '',
    due_at      BIGINT,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_reminder_idx ON notifications (user_id, entity_id, kind, due_at);
