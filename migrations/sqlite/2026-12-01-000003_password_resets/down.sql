DELETE FROM outbox_messages WHERE kind = 'password_reset';
CREATE TABLE outbox_messages_new (
    id               INTEGER PRIMARY KEY,
    visit_id         BIGINT REFERENCES visits (id) ON DELETE SET NULL,
    schedule_version INTEGER,
    recipient_email  TEXT NOT NULL,
    recipient_name   TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation')),
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
    sent_at          TIMESTAMP
);
INSERT INTO outbox_messages_new SELECT * FROM outbox_messages;
DROP TABLE outbox_messages;
ALTER TABLE outbox_messages_new RENAME TO outbox_messages;
CREATE INDEX outbox_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_visit ON outbox_messages (visit_id);
DROP TABLE password_resets;
