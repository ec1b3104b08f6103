-- Failed sign-ins as one counter per key (an email from an address, an
-- address, an email), raised by a single upsert so that every instance on the
-- same database counts together. The count sets how long the next try waits;
-- a key quiet for an hour is forgotten. It replaces the list of failures,
-- which could only lock out.
CREATE TABLE sign_in_throttle (
    scope            TEXT NOT NULL,
    subject          TEXT NOT NULL,
    failures         BIGINT NOT NULL,
    last_failure_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX sign_in_throttle_last_failure ON sign_in_throttle (last_failure_at);
DROP TABLE sign_in_failures;
