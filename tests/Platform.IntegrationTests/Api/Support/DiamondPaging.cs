using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.IntegrationTests.Api.Support;

internal static class DiamondPaging
{
    /// <summary>Follows <c>nextCursor</c> from <paramref name="query"/> to the last page; returns every item's id in order and the pages' totals.</summary>
    public static async Task<(List<Guid> Ids, List<long> Totals)> ReadAllAsync(HttpClient client, string query, int maxPages = 1000)
    {
        var ids = new List<Guid>();
        var totals = new List<long>();
        string? cursor = null;
        for (var page = 0; page < maxPages; page++)
        {
            var url = "/api/v1/diamonds?" + query + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
            totals.Add(body.GetProperty("total").GetInt64());
            cursor = body.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                return (ids, totals);
            }
        }
        throw new InvalidOperationException($"More than {maxPages} pages.");
    }

    /// <summary>Postgres orders uuids bytewise, which is the ordinal order of their canonical text.</summary>
    public static string IdOrder(Guid id) => id.ToString();
}
