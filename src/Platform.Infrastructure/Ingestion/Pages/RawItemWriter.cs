using System.Security.Cryptography;
using System.Text;
using Platform.Domain.Ingestion.Feeds;

namespace Platform.Infrastructure.Ingestion.Pages;

/// <summary>
/// Writes pages of one run's supplier rows in one statement (<c>UNNEST</c>) and, in the same statement, queues the ids
/// of the new and changed ones for consolidation as one <c>consolidation_pages</c> row per page (ADR 0037), so a
/// consolidation step still claims whole pages of at most the feed's page size. An unchanged payload
/// (same SHA-256) is a no-op, so it is not consolidated again; full runs still stamp <c>seen_run_id</c> so stones a
/// full run did not see can be soft-deleted afterwards. Returns the number of stones queued for consolidation.
/// </summary>
public static class RawItemWriter
{
    private const string Changed = "(raw_items.payload_hash IS DISTINCT FROM EXCLUDED.payload_hash)";

    // run_id moves to this run exactly when the payload changed (or the stone is new), so it tells which written
    // rows need consolidating; a row that failed to map before gets another chance with its new payload.
    private static readonly string Sql = $"""
            WITH input AS (
                SELECT * FROM UNNEST(@ids::text[], @offers::text[], @payloads::text[], @hashes::bytea[], @updated::timestamptz[], @pages::int[])
                    AS t(s, o, p, h, u, page)
            ), written AS (
                INSERT INTO raw_items (org_id, feed_id, supplier_stone_id, offer_id, run_id, seen_run_id, payload, payload_hash, source_updated_at)
                SELECT @orgId, @feedId, s, o, @runId, @runId, p::jsonb, h, u FROM input
                ON CONFLICT (org_id, feed_id, supplier_stone_id) DO UPDATE SET
                    offer_id          = EXCLUDED.offer_id,
                    payload           = CASE WHEN {Changed} THEN EXCLUDED.payload ELSE raw_items.payload END,
                    payload_hash      = EXCLUDED.payload_hash,
                    source_updated_at = EXCLUDED.source_updated_at,
                    run_id            = CASE WHEN {Changed} THEN EXCLUDED.run_id ELSE raw_items.run_id END,
                    seen_run_id       = CASE WHEN @fullRun THEN EXCLUDED.seen_run_id ELSE raw_items.seen_run_id END,
                    updated_at        = now()
                WHERE raw_items.payload_hash IS DISTINCT FROM EXCLUDED.payload_hash
                   OR (@fullRun AND raw_items.seen_run_id IS DISTINCT FROM EXCLUDED.seen_run_id)
                RETURNING id, run_id, supplier_stone_id
            ), queued AS (
                INSERT INTO consolidation_pages (org_id, feed_id, raw_item_ids)
                SELECT @orgId, @feedId, array_agg(w.id)
                FROM written w JOIN input i ON i.s = w.supplier_stone_id
                WHERE w.run_id = @runId
                GROUP BY i.page
                RETURNING cardinality(raw_item_ids) AS stones
            )
            SELECT COALESCE(sum(stones), 0)::int FROM queued
            """;

    public static async Task<int> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, Guid feedId, Guid runId, bool fullRun,
        IReadOnlyList<IReadOnlyList<RawStone>> pages, CancellationToken cancellationToken)
    {
        // One statement cannot upsert the same key twice; a supplier repeating a stone (within a page, or in two pages
        // written together) keeps the last copy, as if the pages had been written one after the other.
        var all = pages.SelectMany((page, number) => page.Select(stone => (Stone: stone, Page: number))).ToList();
        var stones = all.Count == all.Select(s => s.Stone.SupplierStoneId).Distinct(StringComparer.Ordinal).Count()
            ? all
            : all.GroupBy(s => s.Stone.SupplierStoneId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var ids = new string[stones.Count];
        var offers = new string?[stones.Count];
        var payloads = new string[stones.Count];
        var hashes = new byte[stones.Count][];
        var updated = new DateTime[stones.Count];
        var pageNumbers = new int[stones.Count];
        for (var i = 0; i < stones.Count; i++)
        {
            var (stone, page) = stones[i];
            ids[i] = stone.SupplierStoneId;
            offers[i] = stone.OfferId;
            payloads[i] = stone.PayloadJson;
            hashes[i] = SHA256.HashData(Encoding.UTF8.GetBytes(stone.PayloadJson));
            updated[i] = stone.SourceUpdatedAt.UtcDateTime;
            pageNumbers[i] = page;
        }
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(Sql,
            new { orgId, feedId, runId, fullRun, ids, offers, payloads, hashes, updated, pages = pageNumbers }, transaction, cancellationToken: cancellationToken));
    }
}
