-- API tokens carry a label a person chose and may expire.
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;

-- Calendar feed tokens are kept as SHA-256 digests too. SQLite cannot hash
-- in SQL, so the plain tokens of existing feeds are revoked (they could never
-- match a digest anyway): new links are made on the calendars page.
ALTER TABLE calendar_tokens RENAME COLUMN token TO token_hash;
UPDATE calendar_tokens SET revoked_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE revoked_at IS NULL;
