-- A calendar feed belongs to the planner who made it: through the API each
-- planner lists and ends only their own. Feeds made before have no owner.
ALTER TABLE calendar_tokens ADD COLUMN created_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX calendar_tokens_created_by ON calendar_tokens (created_by);
