using System.Text.Json;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.ApiReference;

/// <summary>
/// A client generated from <c>docs/api/openapi.json</c> by npm's openapi-typescript, used through openapi-fetch against the
/// api as a real process over HTTP (tests/clients/typescript). Together with the drift test this proves the published
/// document is one a real client can be built from and trusted with.
/// </summary>
public sealed class OpenApiTypeScriptClientTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_generated_typescript_client_searches_pages_and_reads_a_diamond_and_its_price_history()
    {
        var database = await servers.CreateDatabaseAsync();
        DapperConventions.Apply();
        await using var dataSource = database.CreateDataSource();
        var keys = new ApiKeyStore(dataSource, TimeProvider.System);
        var tenant = await TestTenant.CreateAsync(dataSource, keys, "org-ts");
        var other = await TestTenant.CreateAsync(dataSource, keys, "org-other");
        // Eleven ROUND stones with tied prices (paging must neither skip nor repeat), stones the filter excludes, a removed
        // stone, and another organization's ROUND stones: the client must see exactly the eleven.
        var rounds = new[] { 900m, 1200m, 1200m, 1500m, 2100m, 2100m, 2100m, 3000m, 4500m, 5000m, 7000m }
            .Select((price, i) => new SeedStone { RetailPrice = price, CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, i, TimeSpan.Zero) })
            .ToList();
        await CatalogSeed.InsertAsync(dataSource, tenant, [
            .. rounds,
            .. Enumerable.Range(0, 4).Select(_ => new SeedStone { Shape = "OVAL", RetailPrice = 1000m }),
            new SeedStone { RetailPrice = 950m, Status = "deleted" },
        ]);
        await CatalogSeed.InsertAsync(dataSource, other, Enumerable.Range(0, 5).Select(_ => new SeedStone { RetailPrice = 800m }));
        var cheapest = rounds[0];
        await using (var connection = await dataSource.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO price_history (org_id, diamond_id, run_id, old_feed_price, new_feed_price, old_retail_price, new_retail_price, changed_at)
                VALUES (@OrgId, @DiamondId, gen_random_uuid(), 700, 783, 805, 900, @ChangedAt)
                """, Enumerable.Range(1, 3).Select(day => new { tenant.OrgId, DiamondId = cheapest.Id, ChangedAt = new DateTimeOffset(2025, 6, day, 0, 0, 0, TimeSpan.Zero) }));
        }

        await using var api = await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, "api-typescript-client");

        var client = new NpmProject(Path.Combine(RepositoryRoot.Path, "tests", "clients", "typescript"));
        await client.EnsureInstalledAsync(Ct);
        var environment = new Dictionary<string, string> { ["PLATFORM_API_URL"] = api.Url, ["PLATFORM_API_KEY"] = tenant.ReaderKey, ["PLATFORM_PAGE_SIZE"] = "4" };
        await client.RunScriptAsync("generate", environment, TimeSpan.FromMinutes(1), Ct);
        await client.RunScriptAsync("typecheck", environment, TimeSpan.FromMinutes(2), Ct);
        var output = await client.RunScriptAsync("catalog-walk", environment, TimeSpan.FromMinutes(1), Ct);

        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        line.ShouldNotBeNull($"The client printed no RESULT line:\n{output}\n(api log: {api.LogPath})");
        var result = JsonSerializer.Deserialize<JsonElement>(line["RESULT ".Length..]);
        result.GetProperty("ids").EnumerateArray().Select(id => id.GetGuid()).ShouldBe(rounds.Select(s => s.Id), ignoreOrder: true, output);
        result.GetProperty("total").GetInt32().ShouldBe(rounds.Count);
        result.GetProperty("pages").GetInt32().ShouldBe(3);
        result.GetProperty("diamondId").GetGuid().ShouldBe(cheapest.Id);
        result.GetProperty("priceChanges").GetInt32().ShouldBe(3);
    }
}
