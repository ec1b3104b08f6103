-- Where a venue's security service stands on letting a person in during a
-- visit: one mark per visit, venue and person (an official or a participant).
-- No mark is "not requested yet".
CREATE TABLE access_clearances (
    id          BIGSERIAL PRIMARY KEY,
    visit_id    BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    venue_id    BIGINT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    person_kind TEXT NOT NULL CHECK (person_kind IN ('official', 'participant')),
    person_id   BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('requested', 'granted', 'refused')),
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (visit_id, venue_id, person_kind, person_id)
);

-- The outbox carries the access lists sent to the venues too.
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check
    CHECK (kind IN ('briefing_pack', 'invitation', 'change', 'cancellation', 'password_reset', 'access_list'));
