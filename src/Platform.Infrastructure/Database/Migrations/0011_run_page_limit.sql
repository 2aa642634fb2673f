-- The page size a run's scan settled on (the feed's, capped by the adapter), so retries and rescues page
-- the same way as the first pages did.
ALTER TABLE pipeline_runs ADD COLUMN page_limit integer CHECK (page_limit BETWEEN 1 AND 1000);

-- A pricing rule's feed must be a feed of the rule's own organization (NULL: any feed).
ALTER TABLE pricing_rules
    ADD CONSTRAINT pricing_rules_feed_fk FOREIGN KEY (org_id, feed_id) REFERENCES feeds (org_id, id) ON DELETE CASCADE;
