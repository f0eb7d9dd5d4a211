-- User administration.
--
-- `version` lets an edit of a user refuse to overwrite a newer change.
-- `deleted_at` marks a removed user: the row stays so notes and history keep
-- their author's name, but the email and password are wiped at deletion, the
-- account is inactive for good, and it no longer appears anywhere.
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN deleted_at BIGINT;

-- The admin list: by name among the users that still exist.
CREATE INDEX users_name_idx ON users (name, id);

