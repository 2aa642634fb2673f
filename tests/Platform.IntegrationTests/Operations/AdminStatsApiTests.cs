using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Operations;

/// <summary><c>GET /api/v1/admin/stats</c> against seeded catalog, runs and queues of two organizations.</summary>
public sealed class AdminStatsApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_count_both_organizations_catalog_runs_of_the_last_week_and_the_last_runs_throughput()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["Catalog:Cache:Enabled"] = "true" });
        var client = api.ClientWith(await api.OperatorKeyAsync());
        await CatalogSeed.InsertAsync(api.Database, api.A, [new SeedStone(), new SeedStone(), new SeedStone { Status = "deleted" }]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [new SeedStone()]);
        var lastRun = Guid.CreateVersion7();
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO pipeline_runs (id, org_id, feed_id, run_type, phase, trigger, updated_from, updated_to, created_at, started_at, completed_at, consolidation_processed)
                VALUES (@older, @orgA, @feedA, 'full', 'completed', 'test', now(), now(), now() - interval '2 days', now() - interval '2 days', now() - interval '2 days' + interval '10 seconds', 100),
                       (@last, @orgB, @feedB, 'full', 'completed', 'test', now(), now(), now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour' + interval '40 seconds', 1000),
                       (@failed, @orgA, @feedA, 'full', 'failed', 'test', now(), now(), now() - interval '3 days', NULL, NULL, 0),
                       (@ancient, @orgB, @feedB, 'full', 'failed', 'test', now(), now(), now() - interval '8 days', NULL, NULL, 0);
                INSERT INTO queue_messages (queue, message_id, body, max_attempts) VALUES ('ingest.page', 'p1', '{}', 5), ('ingest.page', 'p2', '{}', 5);
                """, new
            {
                older = Guid.CreateVersion7(), last = lastRun, failed = Guid.CreateVersion7(), ancient = Guid.CreateVersion7(),
                orgA = api.A.OrgId, feedA = api.A.FeedId, orgB = api.B.OrgId, feedB = api.B.FeedId,
            });
        }
        // Two searches of the same query: a miss, then a hit.
        var reader = api.ClientWith(api.A.ReaderKey);
        (await reader.GetAsync("/api/v1/diamonds?shape=ROUND", Ct)).EnsureSuccessStatusCode();
        (await reader.GetAsync("/api/v1/diamonds?shape=ROUND", Ct)).EnsureSuccessStatusCode();

        var stats = await client.GetFromJsonAsync<JsonElement>("/api/v1/admin/stats", Ct);

        stats.GetProperty("catalogSize").GetInt64().ShouldBe(3);
        stats.GetProperty("runWindowDays").GetInt32().ShouldBe(7);
        stats.GetProperty("runs").EnumerateArray().Select(r => (r.GetProperty("status").GetString(), r.GetProperty("count").GetInt64()))
            .ShouldBe([("completed", 2L), ("failed", 1L)]);
        var last = stats.GetProperty("lastRun");
        last.GetProperty("runId").GetGuid().ShouldBe(lastRun);
        last.GetProperty("items").GetInt64().ShouldBe(1000);
        last.GetProperty("itemsPerSecond").GetDouble().ShouldBe(25, 0.01);
        // The tally is per process; other tests of this process may add to it, so the figures are checked for consistency.
        var cache = stats.GetProperty("cache");
        var (hits, misses) = (cache.GetProperty("hits").GetInt64(), cache.GetProperty("misses").GetInt64());
        hits.ShouldBeGreaterThanOrEqualTo(1);
        misses.ShouldBeGreaterThanOrEqualTo(1);
        cache.GetProperty("hitRatio").GetDouble().ShouldBe(Math.Round((double)hits / (hits + misses), 4), 0.0001);
        stats.GetProperty("queueDepths").GetProperty("ingest.page").GetInt64().ShouldBe(2);
        stats.GetProperty("queueDepths").GetProperty("ingest.scan").GetInt64().ShouldBe(0);
    }
}
