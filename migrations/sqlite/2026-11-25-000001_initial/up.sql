-- Sapar's schema. Every instant is a UTC TIMESTAMP; zones live beside the data
-- they localise (venues, visits). Vocabularies are checked here as well as in code.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'viewer')),
    language      TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'kk', 'en')),
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE officials (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT NOT NULL,
    position     TEXT,
    organization TEXT,
    precedence   INTEGER NOT NULL DEFAULT 100 CHECK (precedence >= 1),
    email        TEXT,
    phone        TEXT,
    language     TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'kk', 'en')),
    notes        TEXT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX officials_precedence ON officials (precedence, full_name);

CREATE TABLE venues (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('university', 'plant', 'lab', 'government', 'cultural', 'hotel', 'airport', 'other')),
    address       TEXT,
    city          TEXT,
    latitude      REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude     REAL CHECK (longitude BETWEEN -180 AND 180),
    timezone      TEXT NOT NULL,
    capacity      INTEGER CHECK (capacity > 0),
    opens         TIME,
    closes        TIME,
    contact_name  TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    notes         TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((opens IS NULL AND closes IS NULL) OR (opens IS NOT NULL AND closes IS NOT NULL AND closes > opens))
);

CREATE TABLE participants (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    organization TEXT,
    language     TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'kk', 'en')),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

CREATE TABLE attendee_groups (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL,
    description            TEXT,
    headcount              INTEGER NOT NULL DEFAULT 0 CHECK (headcount >= 0),
    contact_participant_id BIGINT REFERENCES participants (id) ON DELETE SET NULL,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);

CREATE TABLE group_members (
    group_id       BIGINT NOT NULL REFERENCES attendee_groups (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, participant_id)
);
CREATE INDEX group_members_participant ON group_members (participant_id);

CREATE TABLE visits (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    theme             TEXT,
    region            TEXT,
    timezone          TEXT NOT NULL,
    first_day         DATE NOT NULL,
    last_day          DATE NOT NULL,
    lead_official_id  BIGINT REFERENCES officials (id) ON DELETE RESTRICT,
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'completed', 'cancelled')),
    published_version INTEGER,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK (first_day <= last_day)
);
CREATE INDEX visits_days ON visits (first_day, last_day);

CREATE TABLE visit_officials (
    visit_id    BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    official_id BIGINT NOT NULL REFERENCES officials (id) ON DELETE RESTRICT,
    PRIMARY KEY (visit_id, official_id)
);
CREATE INDEX visit_officials_official ON visit_officials (official_id);

CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    visit_id       BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('meeting', 'site_visit', 'press', 'meal', 'transfer', 'ceremony', 'other')),
    title          TEXT NOT NULL,
    starts_at      TIMESTAMP NOT NULL,
    ends_at        TIMESTAMP NOT NULL,
    venue_id       BIGINT REFERENCES venues (id) ON DELETE RESTRICT,
    responsible    TEXT,
    agenda         TEXT,
    briefing_notes TEXT,
    logistics      TEXT,
    dress_code     TEXT,
    status         TEXT NOT NULL DEFAULT 'tentative' CHECK (status IN ('tentative', 'confirmed', 'cancelled')),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_visit_start ON meetings (visit_id, starts_at);
CREATE INDEX meetings_time ON meetings (starts_at, ends_at);
CREATE INDEX meetings_venue_start ON meetings (venue_id, starts_at);

CREATE TABLE meeting_officials (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    official_id BIGINT NOT NULL REFERENCES officials (id) ON DELETE RESTRICT,
    role        TEXT NOT NULL CHECK (role IN ('principal', 'host', 'accompanying')),
    PRIMARY KEY (meeting_id, official_id)
);
CREATE INDEX meeting_officials_official ON meeting_officials (official_id);

CREATE TABLE meeting_groups (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    group_id   BIGINT NOT NULL REFERENCES attendee_groups (id) ON DELETE RESTRICT,
    PRIMARY KEY (meeting_id, group_id)
);
CREATE INDEX meeting_groups_group ON meeting_groups (group_id);

CREATE TABLE meeting_participants (
    meeting_id     BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE RESTRICT,
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE INDEX meeting_participants_participant ON meeting_participants (participant_id);

CREATE TABLE unavailability (
    id          INTEGER PRIMARY KEY,
    official_id BIGINT REFERENCES officials (id) ON DELETE CASCADE,
    venue_id    BIGINT REFERENCES venues (id) ON DELETE CASCADE,
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    reason      TEXT,
    created_at  TIMESTAMP NOT NULL,
    CHECK ((official_id IS NULL) <> (venue_id IS NULL)),
    CHECK (ends_at > starts_at)
);
CREATE INDEX unavailability_official ON unavailability (official_id, starts_at);
CREATE INDEX unavailability_venue ON unavailability (venue_id, starts_at);

CREATE TABLE travel_times (
    from_venue_id BIGINT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    to_venue_id   BIGINT NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    minutes       INTEGER NOT NULL CHECK (minutes >= 0),
    PRIMARY KEY (from_venue_id, to_venue_id),
    CHECK (from_venue_id <> to_venue_id)
);

CREATE TABLE schedule_versions (
    id           INTEGER PRIMARY KEY,
    visit_id     BIGINT NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL CHECK (number >= 1),
    published_at TIMESTAMP NOT NULL,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    snapshot     TEXT NOT NULL,
    UNIQUE (visit_id, number)
);

CREATE TABLE outbox_messages (
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
CREATE INDEX outbox_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_visit ON outbox_messages (visit_id);

CREATE TABLE audit_events (
    id        INTEGER PRIMARY KEY,
    user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BIGINT,
    visit_id  BIGINT,
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'publish', 'load')),
    before    TEXT,
    after     TEXT,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_visit ON audit_events (visit_id, at);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id);

-- Facts about the installation itself, such as whether the demo was loaded.
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
