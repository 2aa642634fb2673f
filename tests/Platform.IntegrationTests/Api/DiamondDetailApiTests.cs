using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>One stone, its price history, and <c>POST /diamonds:batchGet</c>.</summary>
public sealed class DiamondDetailApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stone_reads_back_with_its_grades_and_prices()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stone = new SeedStone { Shape = "OVAL", Carats = 1.23m, Color = "E", Clarity = "VVS2", RetailPrice = 4321.50m, LabGrown = true };
        await CatalogSeed.InsertAsync(api.Database, api.A, [stone]);

        var body = await api.ClientWith(api.A.ReaderKey).GetFromJsonAsync<JsonElement>($"/api/v1/diamonds/{stone.Id}", Ct);

        body.GetProperty("id").GetGuid().ShouldBe(stone.Id);
        body.GetProperty("feedId").GetGuid().ShouldBe(api.A.FeedId);
        body.GetProperty("shape").GetString().ShouldBe("OVAL");
        body.GetProperty("carats").GetDecimal().ShouldBe(1.23m);
        body.GetProperty("color").GetString().ShouldBe("E");
        body.GetProperty("clarity").GetString().ShouldBe("VVS2");
        body.GetProperty("labGrown").GetBoolean().ShouldBeTrue();
        body.GetProperty("retailPrice").GetDecimal().ShouldBe(4321.50m);
    }

    [Fact]
    public async Task A_removed_or_unknown_stone_is_a_404_and_a_non_uuid_id_matches_no_route()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var removed = new SeedStone { Status = "deleted" };
        await CatalogSeed.InsertAsync(api.Database, api.A, [removed]);
        var client = api.ClientWith(api.A.ReaderKey);

        await (await client.GetAsync($"/api/v1/diamonds/{removed.Id}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.GetAsync($"/api/v1/diamonds/{Guid.NewGuid()}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.GetAsync("/api/v1/diamonds/not-a-uuid", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "ROUTE_NOT_FOUND");
        await (await client.GetAsync("/api/v1/diamonds/not-a-uuid/price-history", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "ROUTE_NOT_FOUND");
    }

    [Fact]
    public async Task Price_history_pages_newest_first_within_from_and_to()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stone = new SeedStone();
        await CatalogSeed.InsertAsync(api.Database, api.A, [stone]);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // Pairs of changes share a timestamp, so the id must break ties.
        var changes = Enumerable.Range(0, 12).Select(i => start.AddDays(i / 2)).ToList();
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO price_history (org_id, diamond_id, run_id, old_feed_price, new_feed_price, old_retail_price, new_retail_price, changed_at)
                VALUES (@OrgId, @DiamondId, gen_random_uuid(), 100, 101, 115, 116, @ChangedAt)
                """, changes.Select(changedAt => new { api.A.OrgId, DiamondId = stone.Id, ChangedAt = changedAt }));
        }
        var client = api.ClientWith(api.A.ReaderKey);
        var from = Uri.EscapeDataString("2025-01-02T00:00:00Z");
        var to = Uri.EscapeDataString("2025-01-06T00:00:00Z");

        var entries = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/api/v1/diamonds/{stone.Id}/price-history?from={from}&to={to}&limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), Ct);
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Days 1 to 4 (two changes each), newest first; ids descend within a day.
        entries.Count.ShouldBe(8);
        var times = entries.Select(e => e.GetProperty("changedAt").GetDateTimeOffset()).ToList();
        times.ShouldBe(times.OrderByDescending(t => t).ToList());
        times.ShouldAllBe(t => t >= start.AddDays(1) && t < start.AddDays(5));
        entries.Select(e => e.GetProperty("id").GetInt64()).Distinct().Count().ShouldBe(8);
        entries[0].GetProperty("newRetailPrice").GetDecimal().ShouldBe(116m);
    }

    [Fact]
    public async Task Price_history_of_a_stone_without_changes_is_empty_and_bad_input_is_a_400()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stone = new SeedStone();
        await CatalogSeed.InsertAsync(api.Database, api.A, [stone]);
        var client = api.ClientWith(api.A.ReaderKey);
        var path = $"/api/v1/diamonds/{stone.Id}/price-history";

        var empty = await client.GetFromJsonAsync<JsonElement>(path, Ct);

        empty.GetProperty("items").GetArrayLength().ShouldBe(0);
        empty.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        await (await client.GetAsync($"{path}?limit=0", Ct)).ShouldFailValidationOnAsync("limit");
        await (await client.GetAsync($"{path}?from=yesterday", Ct)).ShouldFailValidationOnAsync("from");
        await (await client.GetAsync($"{path}?from=2025-01-01T00:00:00", Ct)).ShouldFailValidationOnAsync("from");
        await (await client.GetAsync($"{path}?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z", Ct)).ShouldFailValidationOnAsync("from");
        await (await client.GetAsync($"{path}?cursor=abc.def", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_CURSOR");
    }

    [Fact]
    public async Task Batch_get_returns_found_stones_in_request_order_and_lists_the_rest_as_not_found()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = Enumerable.Range(0, 3).Select(_ => new SeedStone()).ToList();
        var removed = new SeedStone { Status = "deleted" };
        var foreign = new SeedStone();
        await CatalogSeed.InsertAsync(api.Database, api.A, [.. stones, removed]);
        await CatalogSeed.InsertAsync(api.Database, api.B, [foreign]);
        var unknown = Guid.NewGuid();
        Guid[] ids = [stones[2].Id, unknown, stones[0].Id, foreign.Id, removed.Id, stones[2].Id, stones[1].Id];

        var response = await api.ClientWith(api.A.ReaderKey).PostAsJsonAsync("/api/v1/diamonds:batchGet", new { ids }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe([stones[2].Id, stones[0].Id, stones[1].Id]);
        body.GetProperty("notFound").EnumerateArray().Select(i => i.GetGuid()).ShouldBe([unknown, foreign.Id, removed.Id]);
        body.GetRawText().ShouldNotContain("\"feedId\":\"" + api.B.FeedId);
    }

    [Theory]
    [InlineData("""{"ids": []}""", "ids")]
    [InlineData("""{}""", "ids")]
    [InlineData("""{"ids": ["not-a-uuid", "0197a3c0-1b2a-7e55-8d3c-7f6a5b4c3d21", null]}""", "ids[0]", "ids[2]")]
    public async Task Batch_get_with_invalid_ids_is_a_400_naming_them(string body, params string[] fields)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.ReaderKey).PostAsync("/api/v1/diamonds:batchGet", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        await response.ShouldFailValidationOnAsync(fields);
    }

    [Fact]
    public async Task Batch_get_of_more_than_100_ids_is_a_400_and_of_100_is_fine()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.ReaderKey);

        var tooMany = await client.PostAsJsonAsync("/api/v1/diamonds:batchGet", new { ids = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()) }, Ct);
        var hundred = await client.PostAsJsonAsync("/api/v1/diamonds:batchGet", new { ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()) }, Ct);

        await tooMany.ShouldFailValidationOnAsync("ids");
        hundred.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await hundred.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("notFound").GetArrayLength().ShouldBe(100);
    }

    [Fact]
    public async Task Batch_get_refuses_malformed_json_and_other_content_types_with_problems()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.ReaderKey);

        var malformed = await client.PostAsync("/api/v1/diamonds:batchGet", new StringContent("""{"ids": [""", Encoding.UTF8, "application/json"), Ct);
        var wrongType = await client.PostAsync("/api/v1/diamonds:batchGet", new StringContent("""{"ids": [1, 2]}""", Encoding.UTF8, "application/json"), Ct);
        var text = await client.PostAsync("/api/v1/diamonds:batchGet", new StringContent("""{"ids": []}""", Encoding.UTF8, "text/plain"), Ct);
        var get = await client.GetAsync("/api/v1/diamonds:batchGet", Ct);

        await malformed.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await wrongType.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await text.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        get.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }
}
