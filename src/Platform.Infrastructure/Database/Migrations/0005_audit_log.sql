-- Who changed what: every security-relevant change (keys, feeds, pricing, limits, triggers).
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       uuid        REFERENCES organizations (id) ON DELETE CASCADE, -- NULL for platform-level actions
    actor        text        NOT NULL,                 -- "key:<id>", "user:<id>" or "system:<component>"
    action       text        NOT NULL,                 -- e.g. "api_key.created"
    target_type  text        NOT NULL,
    target_id    text,
    before       jsonb,
    after        jsonb,
    ip           inet,
    trace_id     text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_org_time_idx ON audit_log (org_id, created_at DESC, id DESC);
