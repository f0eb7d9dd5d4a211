-- Substring search over leads (name, email, company) through a trigram index.
-- The index reads its text from `leads` and is linked to it by rowid; Kith never
-- runs VACUUM, which may renumber rowids of a table like `leads`. After a manual
-- VACUUM or a restore from a dump, rebuild it:
--   INSERT INTO lead_search (lead_search) VALUES ('rebuild');
CREATE VIRTUAL TABLE lead_search USING fts5(
    search_text,
    content = 'leads',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
INSERT INTO lead_search (lead_search) VALUES ('rebuild');

CREATE TRIGGER lead_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER lead_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER lead_search_update AFTER UPDATE OF search_text ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO lead_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
