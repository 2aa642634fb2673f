-- Holds and purchases placed through the API (PLATFORM §4, §6). The supplier is the source of truth for a stone's
-- availability; these rows record what we asked for and what it answered, so a purchase replayed with the same
-- Idempotency-Key returns the stored answer instead of buying twice.
CREATE TABLE holds (
    id                uuid PRIMARY KEY,
    org_id            uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    diamond_id        uuid        NOT NULL REFERENCES diamonds (id) ON DELETE CASCADE,
    feed_id           uuid        NOT NULL,
    supplier_hold_id  text        NOT NULL,
    hold_until        timestamptz,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX holds_org_diamond_idx ON holds (org_id, diamond_id, created_at DESC);

CREATE TABLE purchases (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    diamond_id         uuid        NOT NULL REFERENCES diamonds (id) ON DELETE CASCADE,
    idempotency_key    text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash       bytea       NOT NULL CHECK (length(request_hash) = 32),
    -- pending: the supplier call is in flight (or its caller died); confirmed / rejected: final, replayed as stored.
    status             text        NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    reference          text,
    supplier_order_id  text,
    response_status    integer,
    response_body      jsonb,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    UNIQUE (org_id, idempotency_key),
    CHECK ((status = 'pending') = (response_status IS NULL))
);
