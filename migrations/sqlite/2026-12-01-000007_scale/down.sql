DROP INDEX unavailability_start;
DROP INDEX meetings_span;
ALTER TABLE meetings DROP COLUMN span_minutes;
