DROP INDEX calendar_tokens_created_by;
ALTER TABLE calendar_tokens DROP COLUMN created_by;
