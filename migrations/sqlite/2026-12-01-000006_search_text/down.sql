DROP INDEX visits_first_day_title;
DROP INDEX attendee_groups_name;
DROP INDEX participants_name;
DROP INDEX venues_city_name;
ALTER TABLE visits DROP COLUMN search_text;
ALTER TABLE attendee_groups DROP COLUMN search_text;
ALTER TABLE participants DROP COLUMN search_text;
ALTER TABLE venues DROP COLUMN search_text;
ALTER TABLE officials DROP COLUMN search_text;
