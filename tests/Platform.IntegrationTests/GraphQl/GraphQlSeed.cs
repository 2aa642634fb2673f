using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>Rows the GraphQL tests need besides stones: more feeds, price changes, and runs with partitions (no worker runs).</summary>
internal static class GraphQlSeed
{
    public static async Task<Guid> FeedAsync(NpgsqlDataSource database, TestTenant tenant, string name, bool enabled = true)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO feeds (id, org_id, name, adapter, enabled) VALUES (@id, @OrgId, @name, 'simulator', @enabled)",
            new { id, tenant.OrgId, name, enabled });
        return id;
    }

    /// <summary><paramref name="count"/> price changes of one stone, one a day from 2025-01-01, retail prices 1000, 1001, …</summary>
    public static async Task PriceChangesAsync(NpgsqlDataSource database, TestTenant tenant, Guid diamondId, int count)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO price_history (org_id, diamond_id, run_id, old_feed_price, new_feed_price, old_retail_price, new_retail_price, changed_at)
            SELECT @OrgId, @diamondId, gen_random_uuid(), NULL, 900 + i, NULL, 1000 + i, timestamptz '2025-01-01' + i * interval '1 day'
            FROM generate_series(0, @count - 1) AS i
            """, new { tenant.OrgId, diamondId, count });
    }

    /// <summary>A run in <paramref name="phase"/> with partitions p0…p(n-1); the first <paramref name="failed"/> of them failed.</summary>
    public static async Task<Guid> RunAsync(NpgsqlDataSource database, TestTenant tenant, Guid feedId, string phase, int partitions, int failed = 0)
    {
        var runId = Guid.CreateVersion7();
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to)
            VALUES (@runId, @OrgId, @feedId, 'full', @phase, 'api', timestamptz '2000-01-01', now())
            """, new { runId, tenant.OrgId, feedId, phase });
        await connection.ExecuteAsync("""
            INSERT INTO run_partitions (run_id, partition_id, org_id, min_price, max_price, estimated_records, failed, last_error)
            SELECT @runId, 'p' || i, @OrgId, i * 1000, (i + 1) * 1000, 100, i < @failed, CASE WHEN i < @failed THEN 'upstream 500' END
            FROM generate_series(0, @partitions - 1) AS i
            """, new { runId, tenant.OrgId, partitions, failed });
        return runId;
    }
}
