namespace Platform.Infrastructure.Ingestion.Consolidation;

/// <summary>
/// The statement of a consolidation claim: deletes up to <c>@pages</c> of the feed's <c>consolidation_pages</c> rows
/// (skipping those another chain holds) and returns the raw rows they name. Public so a test can check its plan
/// (<c>ConsolidationClaimPlanTests</c>).
/// </summary>
public static class ConsolidationClaimSql
{
    public const string Text = """
        WITH claimed AS (
            DELETE FROM consolidation_pages c
            WHERE c.id IN (
                SELECT id FROM consolidation_pages
                WHERE feed_id = @FeedId AND org_id = @OrgId
                ORDER BY id LIMIT @pages
                FOR UPDATE SKIP LOCKED)
            RETURNING c.raw_item_ids
        )
        SELECT r.id AS "Id", r.supplier_stone_id AS "SupplierStoneId", r.offer_id AS "OfferId",
               r.source_updated_at AS "SourceUpdatedAt", r.payload::text AS "Payload"
        FROM (
            -- The rows are found by primary key only; OFFSET 0 keeps the organization check below out of this scan.
            -- With it inside, a plan made on statistics that do not know this organization yet (a new tenant, a
            -- first load) read the organization's whole raw_items through the unique key's index on every claim,
            -- filtering by id: 0.5–1.2 s per 2 000 stones at 200 000, growing with the feed.
            SELECT r.* FROM raw_items r
            WHERE r.id = ANY(ARRAY(SELECT DISTINCT unnest(raw_item_ids) FROM claimed))
            OFFSET 0) r
        WHERE r.org_id = @OrgId
        """;
}
