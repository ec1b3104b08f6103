-- Where a venue's security service stands on letting a person in during a
-- visit: one mark per visit, venue and person (an official or a participant).
-- No mark is "not requested yet".
CREATE TABLE access_clearances (
    id          INTEGER PRIMARY KEY,
    visit_id    BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    venue_id    BIGINT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    person_kind TEXT NOT NULL CHECK (person_kind IN ('official', 'participant')),
    person_id   BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('requested', 'granted', 'refused')),
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (visit_id, venue_id, person_kind, person_id)
);

-- The outbox carries the access lists sent to the venues too. SQLite cannot
-- change a CHECK in place: the table is made again with the wider one.
CREATE TABLE outbox_messages_new (
    id               INTEGER PRIMARY KEY,
    visit_id         BIGINT REFERENCES visits (id) ON DELETE SET NULL,
    schedule_version INTEGER,
    recipient_email  TEXT NOT NULL,
    recipient_name   TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation', 'password_reset', 'access_list')),
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    attachments      TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    lease_until      TIMESTAMP,
    last_error       TEXT,
    message_id       TEXT NOT NULL UNIQUE,
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP,
    search_text      TEXT NOT NULL DEFAULT ''
);
INSERT INTO outbox_messages_new SELECT * FROM outbox_messages;
DROP TABLE outbox_messages;
ALTER TABLE outbox_messages_new RENAME TO outbox_messages;
CREATE INDEX outbox_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_visit ON outbox_messages (visit_id);
