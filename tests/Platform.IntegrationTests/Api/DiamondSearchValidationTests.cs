using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>Bad search input answers 400 problem+json naming the field; bad cursors answer 400 INVALID_CURSOR. Never a 500.</summary>
public sealed class DiamondSearchValidationTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("caratMin=-1", "caratMin")]
    [InlineData("caratMax=10000", "caratMax")]
    [InlineData("caratMin=2&caratMax=1", "caratMin")]
    [InlineData("priceMin=500&priceMax=100", "priceMin")]
    [InlineData("priceMin=1e3", "priceMin")]
    [InlineData("priceMax=NaN", "priceMax")]
    [InlineData("color=Q1", "color")]
    [InlineData("clarity=VVS9", "clarity")]
    [InlineData("shape=TRIANGLE", "shape")]
    [InlineData("cut=PERFECT", "cut")]
    [InlineData("fluorescence=GLOWING", "fluorescence")]
    [InlineData("availability=gone", "availability")]
    [InlineData("labGrown=maybe", "labGrown")]
    [InlineData("feedId=not-a-uuid", "feedId")]
    [InlineData("sort=weight", "sort")]
    [InlineData("sort=price&order=up", "order")]
    [InlineData("colour=D", "colour")]
    [InlineData("color=D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T,U,V,W,X,Y,Z,D,E,F", "color")]
    public async Task An_invalid_parameter_is_a_400_naming_it(string query, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.ReaderKey).GetAsync($"/api/v1/diamonds?{query}", Ct);

        await response.ShouldFailValidationOnAsync(field);
    }

    [Fact]
    public async Task Every_invalid_parameter_is_reported_at_once()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.ReaderKey).GetAsync("/api/v1/diamonds?limit=0&color=CAPE&sort=x&caratMin=a", Ct);

        await response.ShouldFailValidationOnAsync("limit", "color", "sort", "caratMin");
    }

    [Fact]
    public async Task An_altered_cursor_is_a_400_invalid_cursor()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 5).Select(i => new SeedStone { RetailPrice = 100 + i }));
        var client = api.ClientWith(api.A.ReaderKey);
        var cursor = await FirstCursorAsync(client, "sort=price&limit=2");
        var flipped = (cursor[5] == 'A' ? "B" : "A");
        string[] tampered = [cursor[..5] + flipped + cursor[6..], cursor + "x", cursor.Split('.')[0], "not-a-cursor", "..", new string('A', 600), new string('A', 5000), "%00%ff"];

        foreach (var bad in tampered)
        {
            var response = await client.GetAsync($"/api/v1/diamonds?sort=price&limit=2&cursor={Uri.EscapeDataString(bad)}", Ct);
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_CURSOR");
            problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["cursor"]);
        }
    }

    [Theory]
    [InlineData("sort=price&limit=2&shape=ROUND")]
    [InlineData("sort=price&order=desc&limit=2")]
    [InlineData("sort=carats&limit=2")]
    [InlineData("sort=price&limit=2&priceMin=0")]
    public async Task A_cursor_used_with_other_filters_or_sort_is_a_400_invalid_cursor(string otherQuery)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 5).Select(i => new SeedStone { RetailPrice = 100 + i }));
        var client = api.ClientWith(api.A.ReaderKey);
        var cursor = await FirstCursorAsync(client, "sort=price&limit=2");

        var response = await client.GetAsync($"/api/v1/diamonds?{otherQuery}&cursor={Uri.EscapeDataString(cursor)}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_CURSOR");
    }

    [Fact]
    public async Task Equivalent_spellings_of_the_same_filters_accept_the_same_cursor()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 5).Select(i => new SeedStone { RetailPrice = 100 + i, Color = i % 2 == 0 ? "D" : "E" }));
        var client = api.ClientWith(api.A.ReaderKey);
        var cursor = await FirstCursorAsync(client, "sort=price&limit=2&color=D,E&caratMin=1");

        var response = await client.GetAsync($"/api/v1/diamonds?color=e&color=d&caratMin=1.00&limit=3&sort=PRICE&order=asc&cursor={Uri.EscapeDataString(cursor)}", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task Another_organizations_cursor_is_a_400_invalid_cursor()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 5).Select(_ => new SeedStone()));
        var cursor = await FirstCursorAsync(api.ClientWith(api.A.ReaderKey), "limit=2");

        var response = await api.ClientWith(api.B.ReaderKey).GetAsync($"/api/v1/diamonds?limit=2&cursor={Uri.EscapeDataString(cursor)}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_CURSOR");
    }

    private static async Task<string> FirstCursorAsync(HttpClient client, string query)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds?{query}", Ct);
        return body.GetProperty("nextCursor").GetString()!;
    }
}
