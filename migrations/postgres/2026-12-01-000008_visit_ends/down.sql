DROP INDEX visits_last_day;
