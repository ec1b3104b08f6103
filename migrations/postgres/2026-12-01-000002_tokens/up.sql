-- API tokens carry a label a person chose and may expire.
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;

-- Calendar feed tokens are kept as SHA-256 digests too: existing ones are
-- hashed in place, so links already handed out keep working.
ALTER TABLE calendar_tokens RENAME COLUMN token TO token_hash;
UPDATE calendar_tokens SET token_hash = encode(sha256(convert_to(token_hash, 'UTF8')), 'hex');
