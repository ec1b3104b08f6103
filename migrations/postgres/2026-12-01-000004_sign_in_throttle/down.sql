DROP TABLE sign_in_throttle;
CREATE TABLE sign_in_failures (
    id     BIGSERIAL PRIMARY KEY,
    email  TEXT NOT NULL,
    client TEXT NOT NULL,
    at     TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_client ON sign_in_failures (client, at);
