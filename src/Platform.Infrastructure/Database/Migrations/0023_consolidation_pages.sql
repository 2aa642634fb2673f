-- Consolidation work is queued one row per page instead of one row per stone (ADR 0037). A page's upsert adds one
-- consolidation_pages row holding the ids of the raw rows it created or changed; a consolidation step claims whole
-- rows with DELETE … SKIP LOCKED and commits that with its catalog writes, as before. Per stone, the page path no
-- longer writes a backlog heap row, two index entries and a foreign-key check, and the claim no longer deletes them.
CREATE TABLE consolidation_pages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        uuid        NOT NULL,
    feed_id       uuid        NOT NULL,
    raw_item_ids  bigint[]    NOT NULL CHECK (cardinality(raw_item_ids) > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (org_id, feed_id) REFERENCES feeds (org_id, id) ON DELETE CASCADE
);

CREATE INDEX consolidation_pages_feed_idx ON consolidation_pages (feed_id, id);

-- Pending per-stone rows move over in batches of 1 000; what stays behind are the rows that could not be mapped.
INSERT INTO consolidation_pages (org_id, feed_id, raw_item_ids)
SELECT org_id, feed_id, array_agg(raw_item_id ORDER BY raw_item_id)
FROM (SELECT raw_item_id, org_id, feed_id, (row_number() OVER (PARTITION BY feed_id ORDER BY raw_item_id) - 1) / 1000 AS batch
      FROM consolidation_backlog WHERE failed_at IS NULL) pending
GROUP BY org_id, feed_id, batch;

DELETE FROM consolidation_backlog WHERE failed_at IS NULL;
DROP INDEX consolidation_backlog_pending_idx;
ALTER TABLE consolidation_backlog RENAME TO consolidation_failures;
ALTER TABLE consolidation_failures RENAME CONSTRAINT consolidation_backlog_pkey TO consolidation_failures_pkey;
ALTER TABLE consolidation_failures RENAME CONSTRAINT consolidation_backlog_raw_item_id_fkey TO consolidation_failures_raw_item_id_fkey;
ALTER TABLE consolidation_failures ALTER COLUMN failed_at SET DEFAULT now(), ALTER COLUMN failed_at SET NOT NULL;
CREATE INDEX consolidation_failures_feed_idx ON consolidation_failures (feed_id, raw_item_id);

-- The second guard of tenant tables (0017, ADR 0029).
ALTER TABLE consolidation_pages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consolidation_pages TO platform_tenant
    USING (org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid)
    WITH CHECK (org_id = NULLIF(current_setting('app.organization_id', true), '')::uuid);
