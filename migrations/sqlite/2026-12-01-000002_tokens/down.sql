-- The digests cannot be turned back into links: every feed is revoked.
UPDATE calendar_tokens SET revoked_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE revoked_at IS NULL;
ALTER TABLE calendar_tokens RENAME COLUMN token_hash TO token;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN label;
