using System.Net;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary><c>GET /api/v1/exports/diamonds</c>: the search's stones, streamed as CSV or NDJSON, and nothing of another organization.</summary>
public sealed class DiamondExportApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<SeedStone> Stones() => Enumerable.Range(0, 30).Select(i => new SeedStone
    {
        Shape = i % 3 == 0 ? "OVAL" : "ROUND",
        RetailPrice = 1000m + (i % 7 * 100m),
        CreatedAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i),
    }).ToList();

    [Fact]
    public async Task Csv_holds_a_header_and_every_matching_stone_in_sort_order()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = Stones();
        await CatalogSeed.InsertAsync(api.Database, api.A, [.. stones, new SeedStone { Shape = "ROUND", Status = "deleted" }]);
        await CatalogSeed.InsertAsync(api.Database, api.B, Stones());

        using var response = await api.ClientWith(api.A.ReaderKey).GetAsync("/api/v1/exports/diamonds?shape=ROUND&sort=price&order=asc", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("id,feedId,supplierStoneId,");
        var expected = stones.Where(s => s.Shape == "ROUND").OrderBy(s => s.RetailPrice).ThenBy(s => s.Id).Select(s => s.Id.ToString()).ToList();
        lines.Skip(1).Select(line => line.Split(',')[0]).ShouldBe(expected);
        lines[1].Split(',')[13].ShouldBe("1000.00");
    }

    [Fact]
    public async Task Ndjson_has_one_stone_per_line_shaped_like_the_detail_route()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stones = Stones();
        await CatalogSeed.InsertAsync(api.Database, api.A, stones);
        var client = api.ClientWith(api.A.ReaderKey);

        var body = await client.GetStringAsync("/api/v1/exports/diamonds?format=ndjson&shape=OVAL", Ct);

        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        lines.Select(l => l.GetProperty("id").GetGuid()).ShouldBe(
            stones.Where(s => s.Shape == "OVAL").OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Select(s => s.Id));
        var detail = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/diamonds/{lines[0].GetProperty("id").GetGuid()}", Ct)).RootElement;
        lines[0].EnumerateObject().Select(p => p.Name).ShouldBe(detail.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("limit=10", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("colour=D", "colour")]
    [InlineData("caratMin=2&caratMax=1", "caratMin")]
    public async Task Bad_parameters_are_refused_before_anything_is_streamed(string query, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        using var response = await api.ClientWith(api.A.ReaderKey).GetAsync($"/api/v1/exports/diamonds?{query}", Ct);

        await response.ShouldFailValidationOnAsync(field);
    }

    [Fact]
    public async Task A_client_that_stops_reading_cancels_the_query_on_the_server()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.GenerateAsync(api.Database, api.A, 200_000);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        using (var response = await api.ClientWith(api.A.ReaderKey).GetAsync(
            "/api/v1/exports/diamonds?format=ndjson", HttpCompletionOption.ResponseHeadersRead, cancel.Token))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);
            var buffer = new byte[4096];
            (await body.ReadAsync(buffer, cancel.Token)).ShouldBeGreaterThan(0);
            await cancel.CancelAsync();
        }

        await Eventually.TrueAsync(async () =>
        {
            await using var connection = await api.Database.OpenConnectionAsync(Ct);
            return await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%FROM diamonds d%' AND pid <> pg_backend_pid()") == 0;
        }, TimeSpan.FromSeconds(20), "the export's query ends when its client goes away");
    }
}
