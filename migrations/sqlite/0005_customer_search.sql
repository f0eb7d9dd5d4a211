-- Substring search over customers (name, email, company, tags), as for leads:
-- a trigram index linked to `customers` by rowid (rebuild after a manual VACUUM:
--   INSERT INTO customer_search (customer_search) VALUES ('rebuild');).
CREATE VIRTUAL TABLE customer_search USING fts5(
    search_text,
    content = 'customers',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
INSERT INTO customer_search (customer_search) VALUES ('rebuild');

CREATE TRIGGER customer_search_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER customer_search_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER customer_search_update AFTER UPDATE OF search_text ON customers BEGIN
    INSERT INTO customer_search (customer_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO customer_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
