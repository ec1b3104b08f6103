DELETE FROM outbox_messages WHERE kind = 'access_list';
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check
    CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation', 'password_reset'));
DROP TABLE access_clearances;
