using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary><c>/api/v1/analytics/*</c>: inventory groups and price trends over the caller's active stones only.</summary>
public sealed class AnalyticsApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<SeedStone> Stones() =>
    [
        .. Enumerable.Range(0, 6).Select(i => new SeedStone { Shape = "ROUND", Color = i < 4 ? "D" : "E", RetailPrice = 800m + i * 1000m, Carats = 0.3m + i * 0.4m }),
        .. Enumerable.Range(0, 3).Select(_ => new SeedStone { Shape = "OVAL", Color = null, RetailPrice = 60_000m }),
        new SeedStone { Shape = "PEAR", Status = "deleted" },
    ];

    [Fact]
    public async Task Inventory_groups_the_callers_active_stones_largest_first()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Stones());
        await CatalogSeed.InsertAsync(api.Database, api.B, Enumerable.Range(0, 20).Select(_ => new SeedStone { Shape = "HEART" }));
        var client = api.ClientWith(api.A.ReaderKey);

        var byShape = await client.GetFromJsonAsync<JsonElement>("/api/v1/analytics/inventory", Ct);

        byShape.GetProperty("groupBy").EnumerateArray().Select(e => e.GetString()).ShouldBe(["shape"]);
        byShape.GetProperty("count").GetInt64().ShouldBe(9);
        var groups = byShape.GetProperty("groups").EnumerateArray().ToList();
        groups.Select(g => g.GetProperty("key").GetProperty("shape").GetString()).ShouldBe(["ROUND", "OVAL"]);
        groups[0].GetProperty("count").GetInt64().ShouldBe(6);
        groups[0].GetProperty("minRetailPrice").GetDecimal().ShouldBe(800m);
        groups[0].GetProperty("maxRetailPrice").GetDecimal().ShouldBe(5800m);
        groups[1].GetProperty("totalRetailValue").GetDecimal().ShouldBe(180_000m);

        var byColorAndBand = await client.GetFromJsonAsync<JsonElement>("/api/v1/analytics/inventory?groupBy=color,priceBand&shape=ROUND", Ct);
        var keys = byColorAndBand.GetProperty("groups").EnumerateArray()
            .Select(g => $"{g.GetProperty("key").GetProperty("color").GetString()}/{g.GetProperty("key").GetProperty("priceBand").GetString()}={g.GetProperty("count").GetInt64()}")
            .OrderBy(k => k, StringComparer.Ordinal).ToList();
        keys.ShouldBe(["D/0-999=1", "D/1000-2499=1", "D/2500-4999=2", "E/2500-4999=1", "E/5000-9999=1"]);
    }

    [Fact]
    public async Task Price_trends_bucket_the_history_by_day_and_week()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var round = new SeedStone { Shape = "ROUND" };
        var oval = new SeedStone { Shape = "OVAL" };
        await CatalogSeed.InsertAsync(api.Database, api.A, [round, oval]);
        var other = new SeedStone { Shape = "ROUND" };
        await CatalogSeed.InsertAsync(api.Database, api.B, [other]);
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO price_history (org_id, diamond_id, run_id, old_feed_price, new_feed_price, old_retail_price, new_retail_price, changed_at)
                VALUES (@OrgId, @DiamondId, gen_random_uuid(), 1, 1, @Old, @New, @At::timestamptz)
                """,
                new[]
                {
                    new { api.A.OrgId, DiamondId = round.Id, Old = (decimal?)1000m, New = 1100m, At = "2025-03-03T10:00:00Z" }, // Monday
                    new { api.A.OrgId, DiamondId = round.Id, Old = (decimal?)1100m, New = 900m, At = "2025-03-04T10:00:00Z" },
                    new { api.A.OrgId, DiamondId = oval.Id, Old = (decimal?)null, New = 3000m, At = "2025-03-04T23:59:59Z" },
                    new { api.A.OrgId, DiamondId = round.Id, Old = (decimal?)900m, New = 950m, At = "2025-03-10T00:00:00Z" }, // next week
                    new { api.B.OrgId, DiamondId = other.Id, Old = (decimal?)1m, New = 2m, At = "2025-03-04T12:00:00Z" },
                });
        }
        var client = api.ClientWith(api.A.ReaderKey);
        const string Window = "from=2025-03-01T00:00:00Z&to=2025-03-15T00:00:00Z";

        var daily = await client.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/price-trends?{Window}", Ct);
        var days = daily.GetProperty("buckets").EnumerateArray().ToList();
        days.Select(b => b.GetProperty("start").GetDateTimeOffset().ToString("yyyy-MM-dd")).ShouldBe(["2025-03-03", "2025-03-04", "2025-03-10"]);
        days[1].GetProperty("changes").GetInt64().ShouldBe(2);
        days[1].GetProperty("decreases").GetInt64().ShouldBe(1);
        days[1].GetProperty("medianRetailPrice").GetDecimal().ShouldBe(1950m);
        days[1].GetProperty("avgChange").GetDecimal().ShouldBe(-200m);

        var weekly = await client.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/price-trends?{Window}&interval=week", Ct);
        weekly.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("changes").GetInt64()).ShouldBe([3L, 1L]);

        var ovalOnly = await client.GetFromJsonAsync<JsonElement>($"/api/v1/analytics/price-trends?{Window}&shape=OVAL", Ct);
        ovalOnly.GetProperty("buckets").EnumerateArray().Single().GetProperty("avgChange").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("inventory?groupBy=weight", "groupBy")]
    [InlineData("inventory?groupBy=shape,color,clarity", "groupBy")]
    [InlineData("inventory?sort=price", "sort")]
    [InlineData("inventory?caratMin=3&caratMax=1", "caratMin")]
    [InlineData("price-trends?interval=month", "interval")]
    [InlineData("price-trends?from=2025-03-10T00:00:00Z&to=2025-03-01T00:00:00Z", "from")]
    [InlineData("price-trends?from=2024-01-01T00:00:00Z&to=2025-03-01T00:00:00Z", "from")]
    [InlineData("price-trends?limit=5", "limit")]
    public async Task Bad_parameters_are_field_errors(string route, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        using var response = await api.ClientWith(api.A.ReaderKey).GetAsync($"/api/v1/analytics/{route}", Ct);

        await response.ShouldFailValidationOnAsync(field);
    }

    [Fact]
    public async Task Analytics_need_a_key()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        using var response = await api.Factory.CreateClient().GetAsync("/api/v1/analytics/inventory", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
