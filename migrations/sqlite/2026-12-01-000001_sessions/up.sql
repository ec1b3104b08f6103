-- Staff sessions kept on the server: the browser's cookie carries only a
-- random secret, and the row (found by the secret's SHA-256 digest) says whose
-- session it is, so signing out, disabling a user or changing a password ends
-- it at once. A user with a disabled_at is refused everywhere.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash   TEXT NOT NULL UNIQUE,
    csrf          TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    seen_from     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
