-- Runs and partitions. A run's progress and status are derived from run_partitions (never counted in
-- columns that can drift: SOURCES §3.8); pipeline_runs keeps only what a run decides once (its window,
-- its phase transitions) and the consolidation checkpoint.
CREATE TABLE feed_watermarks (
    feed_id          uuid PRIMARY KEY REFERENCES feeds (id) ON DELETE CASCADE,
    org_id           uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    last_updated_at  timestamptz NOT NULL,   -- the frozen updated_to of the last consolidated run, never "now"
    last_run_id      uuid        NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE heatmap_snapshots (
    feed_id          uuid        NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    base_query_hash  text        NOT NULL,
    density_map      jsonb       NOT NULL,   -- the scan result: chunks and partitions
    total_records    bigint      NOT NULL,
    api_calls        integer     NOT NULL,
    computed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (feed_id, base_query_hash)
);

CREATE TABLE pipeline_runs (
    id                          uuid PRIMARY KEY,
    org_id                      uuid        NOT NULL,
    feed_id                     uuid        NOT NULL,
    run_type                    text        NOT NULL CHECK (run_type IN ('full', 'incremental')),
    phase                       text        NOT NULL CHECK (phase IN ('queued', 'scanning', 'running', 'consolidating', 'completed', 'failed', 'cancelled')),
    trigger                     text        NOT NULL,
    updated_from                timestamptz NOT NULL,
    updated_to                  timestamptz NOT NULL,
    expected_partitions         integer,
    trace_id                    text,
    error                       text,
    watermark_before            timestamptz,
    watermark_after             timestamptz,
    heatmap_api_calls           integer,
    consolidation_forced        boolean     NOT NULL DEFAULT false,
    consolidation_processed     bigint      NOT NULL DEFAULT 0,
    consolidation_failed        bigint      NOT NULL DEFAULT 0,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    started_at                  timestamptz,
    consolidation_started_at    timestamptz,
    completed_at                timestamptz,
    FOREIGN KEY (org_id, feed_id) REFERENCES feeds (org_id, id) ON DELETE CASCADE,
    UNIQUE (org_id, id)
);

CREATE INDEX pipeline_runs_org_idx ON pipeline_runs (org_id, created_at DESC, id DESC);
-- At most one active run per feed: two runs of one feed would fight over its raw rows.
CREATE UNIQUE INDEX pipeline_runs_one_active_per_feed ON pipeline_runs (feed_id)
    WHERE phase IN ('queued', 'scanning', 'running', 'consolidating');

CREATE TABLE run_partitions (
    run_id             uuid        NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    partition_id       text        NOT NULL,
    org_id             uuid        NOT NULL,
    min_price          numeric(12,2) NOT NULL,
    max_price          numeric(12,2) NOT NULL CHECK (max_price > min_price),  -- half-open [min, max)
    estimated_records  bigint      NOT NULL,
    next_offset        integer     NOT NULL DEFAULT 0,
    completed          boolean     NOT NULL DEFAULT false,
    failed             boolean     NOT NULL DEFAULT false,
    attempts           integer     NOT NULL DEFAULT 0,
    next_retry_at      timestamptz,
    last_error         text,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, partition_id),
    CHECK (NOT (completed AND failed))
);

CREATE INDEX run_partitions_open_idx ON run_partitions (updated_at) WHERE NOT completed AND NOT failed;
CREATE INDEX run_partitions_retry_idx ON run_partitions (next_retry_at) WHERE failed = false AND next_retry_at IS NOT NULL;

-- The status a reader sees, derived in one place from the partitions.
CREATE VIEW pipeline_run_progress AS
SELECT r.*,
       COALESCE(p.total, 0)     AS partitions_total,
       COALESCE(p.completed, 0) AS partitions_completed,
       COALESCE(p.failed, 0)    AS partitions_failed,
       CASE
           WHEN r.phase <> 'running' THEN r.phase
           WHEN COALESCE(p.failed, 0) > 0 AND COALESCE(p.completed, 0) + COALESCE(p.failed, 0) >= COALESCE(r.expected_partitions, 0) THEN 'partial'
           ELSE 'running'
       END AS status
FROM pipeline_runs r
LEFT JOIN LATERAL (
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE completed)::int AS completed,
           count(*) FILTER (WHERE failed)::int AS failed
    FROM run_partitions rp WHERE rp.run_id = r.id
) p ON true;
