ALTER TABLE participants DROP COLUMN position;
