-- Lists are searched in a lower-cased copy of each record's names and titles,
-- kept by the application on every write: SQLite's lower() folds ASCII only,
-- so Cyrillic is folded in Rust (db::backfill_search_text fills old rows).
ALTER TABLE officials ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE venues ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE attendee_groups ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox_messages ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

-- The orders the lists are paged in.
CREATE INDEX venues_city_name ON venues (city, name, id);
CREATE INDEX participants_name ON participants (full_name, id);
CREATE INDEX attendee_groups_name ON attendee_groups (name, id);
CREATE INDEX visits_first_day_title ON visits (first_day, title, id);
