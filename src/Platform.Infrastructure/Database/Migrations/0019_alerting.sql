-- Alerting (ADR 0031): where notifications go (channels), which alert kinds go where (rules), and the episodes
-- (firing → resolved) with their notification counts. org_id NULL marks a platform-wide channel or rule, managed by
-- operators under /api/v1/admin/alerts; an organization's own live under /api/v1/alerts.
CREATE TABLE alert_channels (
    id          uuid PRIMARY KEY,
    org_id      uuid REFERENCES organizations (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('webhook', 'slack', 'teams', 'email', 'pagerduty')),
    config      jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- non-secret settings (SMTP host, recipients…)
    -- The one secret of the channel (webhook URL, SMTP password, PagerDuty routing key), encrypted with
    -- SecretProtector (AES-256-GCM, purpose alert_channels.secret:{id}, like feed credentials in 0016). Never returned
    -- by the API.
    secret      bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX alert_channels_owner_idx ON alert_channels (org_id, created_at, id);

CREATE TABLE alert_rules (
    id                uuid PRIMARY KEY,
    org_id            uuid REFERENCES organizations (id) ON DELETE CASCADE,
    name              text        NOT NULL,
    kind              text        NOT NULL,
    cooldown_seconds  integer     NOT NULL CHECK (cooldown_seconds BETWEEN 1 AND 86400),
    enabled           boolean     NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX alert_rules_owner_idx ON alert_rules (org_id, created_at, id);

CREATE TABLE alert_rule_channels (
    rule_id     uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    channel_id  uuid NOT NULL REFERENCES alert_channels (id) ON DELETE CASCADE,
    PRIMARY KEY (rule_id, channel_id)
);

CREATE INDEX alert_rule_channels_channel_idx ON alert_rule_channels (channel_id);

-- One row per episode of one rule and one subject (a queue, a run, a feed): firing until its condition clears.
CREATE TABLE alert_events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id           uuid        NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    org_id            uuid,                                  -- the rule's owner (NULL: platform-wide)
    subject_org_id    uuid,                                  -- the organization the condition concerns, if any
    kind              text        NOT NULL,
    subject           text        NOT NULL,
    severity          text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('firing', 'resolved')),
    summary           text        NOT NULL,
    details           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    fired_at          timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    last_notified_at  timestamptz,
    notifications     integer     NOT NULL DEFAULT 0
);

-- De-duplication: at most one open episode per rule and subject.
CREATE UNIQUE INDEX alert_events_open_idx ON alert_events (rule_id, subject) WHERE status = 'firing';
CREATE INDEX alert_events_owner_idx ON alert_events (org_id, id DESC);
CREATE INDEX alert_events_recent_idx ON alert_events (rule_id, subject, resolved_at DESC) WHERE status = 'resolved';

-- When a partition last advanced by a page. updated_at cannot tell: the maintenance rescue touches it too.
ALTER TABLE run_partitions ADD COLUMN last_page_at timestamptz;
CREATE INDEX run_partitions_last_page_idx ON run_partitions (last_page_at DESC) WHERE last_page_at IS NOT NULL;

-- Upstream breaker states reported by each process (the breakers live in memory, one per feed and process), so
-- the alert monitor can tell a circuit open for longer than its threshold.
CREATE TABLE upstream_circuits (
    feed_id      uuid        NOT NULL,
    instance     text        NOT NULL,
    org_id       uuid,
    state        text        NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
    changed_at   timestamptz NOT NULL,
    reported_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (feed_id, instance)
);

-- The outcome of the latest delivery to each channel, so an operator sees a failing channel in GET …/channels.
ALTER TABLE alert_channels
    ADD COLUMN last_delivered_at timestamptz,
    ADD COLUMN last_failed_at    timestamptz,
    ADD COLUMN last_failure      text;

-- The second guard of tenant tables (0017, ADR 0029): a tenant connection sees its organization's channels, rules,
-- episodes and circuits only, never the platform's (org_id NULL). The owning login (api, worker) bypasses it.
DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['alert_channels', 'alert_rules', 'alert_events', 'upstream_circuits']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON %I TO platform_tenant
            USING (org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid)
            WITH CHECK (org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid)$policy$, tenant_table);
    END LOOP;
END $$;
