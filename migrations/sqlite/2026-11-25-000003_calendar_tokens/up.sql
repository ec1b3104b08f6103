-- Calendar subscriptions (webcal://): one secret token per feed, for one
-- official or one participant. The token is the only key to the feed, so it is
-- revoked rather than deleted, and a revoked one stays unusable.
CREATE TABLE calendar_tokens (
    id             INTEGER PRIMARY KEY,
    token          TEXT NOT NULL UNIQUE,
    official_id    BIGINT REFERENCES officials (id) ON DELETE CASCADE,
    participant_id BIGINT REFERENCES participants (id) ON DELETE CASCADE,
    created_at     TIMESTAMP NOT NULL,
    revoked_at     TIMESTAMP,
    CHECK ((official_id IS NULL) <> (participant_id IS NULL))
);
CREATE INDEX calendar_tokens_official ON calendar_tokens (official_id);
CREATE INDEX calendar_tokens_participant ON calendar_tokens (participant_id);
