-- The visits list counts and pages current visits (last day today or later)
-- apart from past ones: both halves are found through their last day.
CREATE INDEX visits_last_day ON visits (last_day, first_day, id);
