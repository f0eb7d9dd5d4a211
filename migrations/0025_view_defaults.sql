-- The saved view a person's list opens with when its address asks for nothing
-- else (their own view, or the team's). Forgetting the view, or the person
-- leaving, ends it.
CREATE TABLE view_defaults (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    list    TEXT NOT NULL,
    view_id TEXT NOT NULL REFERENCES saved_views (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, list)
);
CREATE INDEX view_defaults_view ON view_defaults (view_id);
