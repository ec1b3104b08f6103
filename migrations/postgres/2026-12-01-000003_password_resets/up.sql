-- One-time links an admin sends so that a user can set a new password. Only
-- the SHA-256 digest of a link's secret is kept; a link lasts an hour and
-- works once (used_at is set when it is used, or when a newer link or another
-- password change makes it void).
CREATE TABLE password_resets (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- The outbox carries the emails with these links too.
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check
    CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation', 'password_reset'));
