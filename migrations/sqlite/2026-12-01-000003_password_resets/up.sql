-- One-time links an admin sends so that a user can set a new password. Only
-- the SHA-256 digest of a link's secret is kept; a link lasts an hour and
-- works once (used_at is set when it is used, or when a newer link or another
-- password change makes it void).
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- The outbox carries the emails with these links too. SQLite cannot change a
-- CHECK in place: the table is made again with the wider one.
CREATE TABLE outbox_messages_new (
    id               INTEGER PRIMARY KEY,
    visit_id         BIGINT REFERENCES visits (id) ON DELETE SET NULL,
    schedule_version INTEGER,
    recipient_email  TEXT NOT NULL,
    recipient_name   TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation', 'password_reset')),
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
