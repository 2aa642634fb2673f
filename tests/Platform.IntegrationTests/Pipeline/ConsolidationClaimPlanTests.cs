using System.Text.Json;
using Platform.Infrastructure.Ingestion.Consolidation;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// A consolidation claim reads its raw rows by primary key, whatever the statistics say. The case that went wrong: the
/// statistics of <c>raw_items</c> know only other organizations (a new tenant's first load, or the benchmark after its
/// warm-up), so the planner expects the new organization to have no rows and read them through the unique key's index
/// (organization first), filtering by id: every claim read the whole organization, 0.5–1.2 s per claim at 200 000 stones.
/// </summary>
public sealed class ConsolidationClaimPlanTests(PlatformServers servers)
{
    private const int StonesPerOrganization = 30_000;
    private const int Pages = 40;
    private const int PageSize = 50;

    [Fact]
    public async Task A_claim_reads_its_raw_rows_by_primary_key_when_the_statistics_know_only_other_organizations()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var (known, knownFeed) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (fresh, freshFeed) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        // Autovacuum must not analyze the new rows while the test runs: the point is statistics that predate them.
        await connection.ExecuteAsync("ALTER TABLE raw_items SET (autovacuum_enabled = false)");
        await SeedAsync(connection, known, knownFeed, "known");
        await connection.ExecuteAsync("ANALYZE raw_items");
        await SeedAsync(connection, fresh, freshFeed, "fresh");
        await connection.ExecuteAsync("""
            INSERT INTO consolidation_pages (org_id, feed_id, raw_item_ids)
            SELECT @fresh, @freshFeed, array_agg(id ORDER BY id)
            FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM raw_items WHERE org_id = @fresh) r
            GROUP BY n / @PageSize
            """, new { fresh, freshFeed, PageSize });

        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var json = await connection.ExecuteScalarAsync<string>("EXPLAIN (ANALYZE, FORMAT JSON) " + ConsolidationClaimSql.Text,
            new { OrgId = fresh, FeedId = freshFeed, pages = Pages }, transaction);
        await transaction.RollbackAsync(TestContext.Current.CancellationToken);

        var plan = JsonDocument.Parse(json!).RootElement[0].GetProperty("Plan");
        var rawScans = Nodes(plan).Where(node => node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "raw_items").ToList();
        var described = string.Join(" > ", Nodes(plan).Select(Describe));
        TestContext.Current.TestOutputHelper?.WriteLine(described);
        plan.GetProperty("Actual Rows").GetDouble().ShouldBe(Pages * PageSize, described);
        rawScans.ShouldNotBeEmpty(described);
        rawScans.Select(IndexName).ShouldAllBe(index => index == "raw_items_pkey", described);
        Nodes(plan).Sum(node => node.TryGetProperty("Rows Removed by Filter", out var rows) ? rows.GetDouble() : 0).ShouldBeLessThan(Pages * PageSize, described);
    }

    private static Task<int> SeedAsync(NpgsqlConnection connection, Guid orgId, Guid feedId, string slug) => connection.ExecuteAsync("""
        INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, @slug, 'pro');
        INSERT INTO feeds (id, org_id, name, adapter, config) VALUES (@feedId, @orgId, 'simulator', 'simulator', '{}');
        INSERT INTO raw_items (org_id, feed_id, supplier_stone_id, run_id, seen_run_id, payload, payload_hash, source_updated_at)
        SELECT @orgId, @feedId, 'S' || n, @orgId, @orgId, jsonb_build_object('id', 'S' || n, 'price', n), sha256(n::text::bytea), now()
        FROM generate_series(1, @stones) AS n;
        """, new { orgId, feedId, slug, stones = StonesPerOrganization });

    private static IEnumerable<JsonElement> Nodes(JsonElement node) =>
        node.TryGetProperty("Plans", out var children) ? children.EnumerateArray().SelectMany(Nodes).Prepend(node) : [node];

    private static string? IndexName(JsonElement node) => node.TryGetProperty("Index Name", out var index) ? index.GetString() : null;

    private static string Describe(JsonElement node) =>
        node.GetProperty("Node Type").GetString()
        + (node.TryGetProperty("Relation Name", out var relation) ? $" on {relation.GetString()}" : "")
        + (node.TryGetProperty("Index Name", out var index) ? $" ({index.GetString()})" : "")
        + (node.TryGetProperty("Rows Removed by Filter", out var removed) ? $" removed {removed.GetDouble()}" : "");
}
