-- Per-organization limits (ADR 0024): the operator may override every plan limit; max_feeds was the one without
-- an override column. NULL means "the plan's value".
ALTER TABLE organizations ADD COLUMN max_feeds_override integer CHECK (max_feeds_override > 0);

-- Queued runs wait in creation order; the promotion after a run ends reads them by this index.
CREATE INDEX pipeline_runs_queued_idx ON pipeline_runs (org_id, created_at, id) WHERE phase = 'queued';

-- People of an organization and their role (the dashboard signs them in later; API keys are separate).
-- A member is known by e-mail until they sign in, then by the identity provider's user id as well.
CREATE TABLE organization_members (
    id          uuid PRIMARY KEY,
    org_id      uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email       text        CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320 AND position('@' IN email) > 1),
    user_id     text        CHECK (length(user_id) BETWEEN 1 AND 200),
    role        text        NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (email IS NOT NULL OR user_id IS NOT NULL),
    UNIQUE (org_id, email),
    UNIQUE (org_id, user_id)
);
