-- A participant's position at their organisation, for the access lists a venue's
-- security service asks for.
ALTER TABLE participants ADD COLUMN position TEXT;
