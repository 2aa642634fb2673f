-- Failures of every role (api, scheduler, ingest, consolidator, maintenance), for operators (ADR 0030). Written in
-- batches off the request path, so a row may be lost on a crash; the logs stay the complete record. Pruned by the
-- maintenance role after ErrorLog:RetentionDays.
CREATE TABLE error_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service       text        NOT NULL,            -- "api", "worker"
    category      text        NOT NULL,            -- "api", "page", "consolidation", "scan", "scheduler", "upstream", "messaging"
    code          text        NOT NULL,            -- stable, e.g. "INTERNAL_ERROR", "PAGE_FETCH_FAILED"
    message       text        NOT NULL CHECK (length(message) <= 1000),
    context       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    trace_id      text,
    fingerprint   text        NOT NULL,            -- hash of service, category, code and the message without numbers and ids
    org_id        uuid,                            -- no foreign key: an error outlives nothing it describes
    occurred_at   timestamptz NOT NULL DEFAULT now()
);

-- The list (newest first, keyset by id), the recent-error-rate readiness check, the trends and the pruning.
CREATE INDEX error_log_time_idx ON error_log (occurred_at DESC, id DESC);
CREATE INDEX error_log_fingerprint_idx ON error_log (fingerprint, occurred_at);

-- The second guard of tenant tables (0017, ADR 0029). The error log is read by operators through the owning login;
-- a tenant connection sees only its organization's rows (and none of the platform's own, whose org_id is null).
ALTER TABLE error_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON error_log TO platform_tenant
    USING (org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid)
    WITH CHECK (org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid);
