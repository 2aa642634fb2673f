using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Catalog.Caching;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.GraphQl;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// Catalog reads through HybridCache (L1 in-process, L2 Redis): keyed by the tenant's dataset version, so only that
/// tenant's bump refreshes them; shared between replicas through Redis; and still answered when Redis is away.
/// Tests seed rows directly (no version bump), which is what makes a cached answer visible.
/// </summary>
public sealed class CatalogCacheTests(PlatformServers servers)
{
    private static readonly Dictionary<string, string?> CacheOn = new()
    {
        ["Catalog:Cache:Enabled"] = "true",
        ["Catalog:Cache:VersionCheckMilliseconds"] = "0",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_are_cached_until_their_own_tenant_s_dataset_version_changes()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, CacheOn);
        var stone = new SeedStone { RetailPrice = 2000m };
        await CatalogSeed.InsertAsync(api.Database, api.A, [stone, new SeedStone()]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [new SeedStone()]);
        var a = api.ClientWith(api.A.ReaderKey);
        var b = api.ClientWith(api.B.ReaderKey);
        using var metrics = new CacheRequests();

        (await TotalAsync(a)).ShouldBe(2);
        (await TotalAsync(b)).ShouldBe(1);
        (await PriceAsync(a, stone.Id)).ShouldBe(2000m);
        await CatalogSeed.InsertAsync(api.Database, api.A, [new SeedStone()]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [new SeedStone()]);
        await SetPriceAsync(api.Database, stone.Id, 2500m);

        (await TotalAsync(a)).ShouldBe(2, "served from the cache: nothing bumped A's version");
        (await PriceAsync(a, stone.Id)).ShouldBe(2000m);
        metrics.Count("search", "hit").ShouldBeGreaterThanOrEqualTo(1);
        metrics.Count("search", "miss").ShouldBe(2);

        await BumpAsync(api.Database, api.A);

        (await TotalAsync(a)).ShouldBe(3, "A's consolidation made A's entries unreachable");
        (await PriceAsync(a, stone.Id)).ShouldBe(2500m);
        (await TotalAsync(b)).ShouldBe(1, "B's entries are untouched by A's bump");
    }

    [Fact]
    public async Task GraphQL_searches_and_diamond_reads_are_cached_like_REST_and_refreshed_by_a_bump()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, CacheOn);
        var stone = new SeedStone { RetailPrice = 2000m };
        await CatalogSeed.InsertAsync(api.Database, api.A, [stone, new SeedStone()]);
        var a = api.ClientWith(api.A.ReaderKey);
        using var metrics = new CacheRequests();
        const string Query = "query($id: ID!) { diamonds(first: 10) { totalCount edges { cursor node { id } } } diamond(id: $id) { retailPrice } }";
        async Task<(long Total, int Edges, decimal Price)> ReadAsync()
        {
            var data = (await GraphQlClient.PostAsync(a, Query, new { id = stone.Id })).Data;
            var connection = data.GetProperty("diamonds");
            return (connection.GetProperty("totalCount").GetInt64(), connection.GetProperty("edges").GetArrayLength(),
                data.GetProperty("diamond").GetProperty("retailPrice").GetDecimal());
        }

        (await ReadAsync()).ShouldBe((2, 2, 2000m));
        await CatalogSeed.InsertAsync(api.Database, api.A, [new SeedStone()]);
        await SetPriceAsync(api.Database, stone.Id, 2500m);

        (await ReadAsync()).ShouldBe((2, 2, 2000m), "served from the cache: nothing bumped A's version");
        metrics.Count("graphql_search", "hit").ShouldBeGreaterThanOrEqualTo(1);
        metrics.Count("detail", "hit").ShouldBeGreaterThanOrEqualTo(1);

        await BumpAsync(api.Database, api.A);

        (await ReadAsync()).ShouldBe((3, 3, 2500m), "A's consolidation made A's entries unreachable");
    }

    [Fact]
    public async Task A_second_replica_reads_the_first_one_s_entry_from_redis()
    {
        await using var first = await TwoTenantApi.StartAsync(servers, CacheOn);
        await using var second = new ApiFactory(first.Factory.DatabaseConnectionString, servers.Redis.ConnectionString, CacheOn);
        await CatalogSeed.InsertAsync(first.Database, first.A, [new SeedStone(), new SeedStone()]);
        (await TotalAsync(first.ClientWith(first.A.ReaderKey))).ShouldBe(2);
        await CatalogSeed.InsertAsync(first.Database, first.A, [new SeedStone()]);

        using var client = second.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", first.A.ReaderKey);

        (await TotalAsync(client)).ShouldBe(2, "the second replica has no L1 entry, so the stale total can only come from Redis");
    }

    [Fact]
    public async Task With_redis_unreachable_reads_still_answer_from_postgres()
    {
        var database = await servers.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>(CacheOn);
        await using var factory = new ApiFactory(database.ConnectionString, $"127.0.0.1:{FreePort.Next()},connectTimeout=500", settings);
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        var tenant = await TestTenant.CreateAsync(dataSource, factory.Services.GetRequiredService<ApiKeyStore>(), "no-redis");
        var stone = new SeedStone();
        await CatalogSeed.InsertAsync(dataSource, tenant, [stone, new SeedStone()]);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", tenant.ReaderKey);

        for (var i = 0; i < 3; i++)
        {
            (await TotalAsync(client)).ShouldBe(2);
            (await client.GetAsync($"/api/v1/diamonds/{stone.Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/api/v1/analytics/inventory?groupBy=shape", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static async Task<long> TotalAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/diamonds", Ct)).GetProperty("total").GetInt64();

    private static async Task<decimal> PriceAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds/{id}", Ct)).GetProperty("retailPrice").GetDecimal();

    private static async Task SetPriceAsync(NpgsqlDataSource database, Guid id, decimal price)
    {
        await using var connection = await database.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync("UPDATE diamonds SET retail_price = @price WHERE id = @id", new { id, price });
    }

    /// <summary>What a consolidation does to the version when it commits.</summary>
    private static async Task BumpAsync(NpgsqlDataSource database, TestTenant tenant)
    {
        await using var connection = await database.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync("""
            INSERT INTO dataset_versions (org_id, feed_id, version) VALUES (@OrgId, @FeedId, 1)
            ON CONFLICT (org_id, feed_id) DO UPDATE SET version = dataset_versions.version + 1, updated_at = now()
            """, new { tenant.OrgId, tenant.FeedId });
    }

    /// <summary>Counts <c>platform.cache.requests</c> by cache and result while alive (the meter is process-wide).</summary>
    private sealed class CacheRequests : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly Dictionary<(string, string), long> counts = [];
        private readonly Lock gate = new();

        public CacheRequests()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CatalogCache.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? cache = null, result = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "cache") { cache = tag.Value as string; }
                    if (tag.Key == "result") { result = tag.Value as string; }
                }
                lock (gate)
                {
                    counts[(cache!, result!)] = counts.GetValueOrDefault((cache!, result!)) + value;
                }
            });
            listener.Start();
        }

        public long Count(string cache, string result)
        {
            lock (gate)
            {
                return counts.GetValueOrDefault((cache, result));
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
