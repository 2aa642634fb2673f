-- Secrets at rest (docs/security.md): a feed's supplier credentials and an API key's request-signing secret are stored
-- encrypted by the application (AES-256-GCM, SecretProtector), never in plaintext. The value carries the id of the key
-- it was encrypted with, so keys rotate without a migration. secret_ref stays for credentials kept in configuration.
ALTER TABLE feeds ADD COLUMN credentials bytea CHECK (octet_length(credentials) <= 8192);
ALTER TABLE api_keys ADD COLUMN signing_secret bytea CHECK (octet_length(signing_secret) <= 1024);
