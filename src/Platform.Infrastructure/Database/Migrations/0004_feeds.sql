-- Supplier feeds of an organization. Credentials are held as a secret reference, never in config.
CREATE TABLE feeds (
    id                 uuid PRIMARY KEY,
    org_id             uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    adapter            text        NOT NULL CHECK (adapter IN ('simulator', 'nivoda-graphql')),
    config             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    secret_ref         text,
    schedule_cron      text,
    enabled            boolean     NOT NULL DEFAULT true,
    page_size          integer     NOT NULL DEFAULT 30 CHECK (page_size BETWEEN 1 AND max_page_size),
    max_page_size      integer     NOT NULL DEFAULT 50 CHECK (max_page_size BETWEEN 1 AND 1000),
    upstream_rps       numeric(8,2) NOT NULL DEFAULT 2 CHECK (upstream_rps > 0),
    heatmap_overrides  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, name),
    -- Composite key so that tenant-scoped children can reference (org_id, id) and never cross tenants.
    UNIQUE (org_id, id)
);
