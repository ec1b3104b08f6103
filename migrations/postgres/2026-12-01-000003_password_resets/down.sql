DELETE FROM outbox_messages WHERE kind = 'password_reset';
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check
    CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation'));
DROP TABLE password_resets;
