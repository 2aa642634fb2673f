-- Consolidation work moves out of the wide raw rows into a narrow backlog (ADR 0014). A raw row whose payload
-- changed gets a backlog row in the same statement; a consolidation step claims backlog rows with
-- DELETE … SKIP LOCKED and commits that together with its catalog writes. Raw rows are written once per change
-- instead of three times (insert, 'processing', 'done'), and a claim never outlives its transaction.
CREATE TABLE consolidation_backlog (
    raw_item_id  bigint PRIMARY KEY REFERENCES raw_items (id) ON DELETE CASCADE,
    org_id       uuid        NOT NULL,
    feed_id      uuid        NOT NULL,
    failed_at    timestamptz,   -- set when the row could not be mapped; cleared when its payload changes again
    last_error   text
);

CREATE INDEX consolidation_backlog_pending_idx ON consolidation_backlog (feed_id, raw_item_id) WHERE failed_at IS NULL;

INSERT INTO consolidation_backlog (raw_item_id, org_id, feed_id, failed_at, last_error)
SELECT id, org_id, feed_id, CASE WHEN consolidation_status = 'failed' THEN coalesce(consolidated_at, now()) END, last_error
FROM raw_items WHERE consolidation_status <> 'done';

DROP INDEX raw_items_pending_idx;
DROP INDEX raw_items_processing_idx;
ALTER TABLE raw_items
    DROP COLUMN consolidation_status,
    DROP COLUMN claimed_at,
    DROP COLUMN claimed_by,
    DROP COLUMN consolidated_at,
    DROP COLUMN last_error;
