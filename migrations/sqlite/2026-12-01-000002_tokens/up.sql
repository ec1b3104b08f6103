-- API tokens carry a label a person chose and may expire.
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
