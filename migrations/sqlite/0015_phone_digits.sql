-- A phone number's digits alone, so "+1 (555) 010-0100" and "1 555 010 0100" are
-- the same number to duplicate warnings and imports. A phone holds only digits,
-- spaces and ( ) - . / + (fields::parse_phone), so removing those leaves its digits.
-- (SQLite computes it when read; PostgreSQL keeps it.)
-- The index on the phone as written gives way to one on its digits.
ALTER TABLE leads ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS
    (replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', '')) VIRTUAL;
ALTER TABLE customers ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS
    (replace(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', '')) VIRTUAL;
DROP INDEX leads_phone_idx;
DROP INDEX customers_phone_idx;
CREATE INDEX leads_phone_idx ON leads (phone_digits);
CREATE INDEX customers_phone_idx ON customers (phone_digits);
