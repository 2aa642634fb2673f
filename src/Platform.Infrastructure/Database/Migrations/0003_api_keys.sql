-- API keys are shown once; only a SHA-256 hash, a display prefix and the last four characters are kept.
CREATE TABLE api_keys (
    id               uuid PRIMARY KEY,
    org_id           uuid        REFERENCES organizations (id) ON DELETE CASCADE, -- NULL for platform-operator keys
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix           text        NOT NULL,
    key_hash         bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    last4            text        NOT NULL CHECK (length(last4) = 4),
    scopes           text[]      NOT NULL,
    expires_at       timestamptz,
    revoked_at       timestamptz,
    rotated_from_id  uuid        REFERENCES api_keys (id),
    grace_until      timestamptz,
    last_used_at     timestamptz,
    created_by       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (org_id IS NOT NULL OR 'platform:admin' = ANY (scopes))
);

CREATE INDEX api_keys_org_idx ON api_keys (org_id, created_at DESC);
