-- A list's search, filters and sort saved under a name, shown as a tab above the
-- list: a person's own (scope = their id), or shared with the team by an admin
-- (scope = 'team'). A name is unique per list and scope; saving it again replaces
-- the view. A view goes with the person who saved it.
CREATE TABLE saved_views (
    id         TEXT PRIMARY KEY,
    list       TEXT NOT NULL,
    scope      TEXT NOT NULL,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (list, scope, name)
);
