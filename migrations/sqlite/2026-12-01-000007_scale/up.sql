-- How long each meeting lasts, in minutes (rounded up), kept by the database
-- itself however a row is written. The longest one bounds how far before a
-- stretch of time a search for the meetings overlapping it must look, so that
-- search reads the meetings near the stretch and not every earlier one.
ALTER TABLE meetings ADD COLUMN span_minutes INTEGER
    GENERATED ALWAYS AS (CAST((julianday(ends_at) - julianday(starts_at)) * 1440 AS INTEGER) + 1) VIRTUAL;
CREATE INDEX meetings_span ON meetings (span_minutes);

-- The order the unavailability list is paged in.
CREATE INDEX unavailability_start ON unavailability (starts_at, id);
