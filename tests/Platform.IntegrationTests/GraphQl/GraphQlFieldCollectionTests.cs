using System.Net;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// The api collects a selection set's fields once per request and object type (CatalogExecutionStrategy), not once per
/// object. Every object of a list must still get exactly the fields the document and this request's variables select:
/// @skip/@include by variable, fragments, aliases and a field selected twice with different sub-selections.
/// </summary>
public sealed class GraphQlFieldCollectionTests(PlatformServers servers)
{
    private const string Query = """
        query Page($withCarats: Boolean!, $skipFeed: Boolean!) {
          diamonds(first: 5, order: { field: PRICE, direction: ASC }) {
            nodes {
              id
              carats @include(if: $withCarats)
              price: retailPrice
              ...Grades
              feed @skip(if: $skipFeed) { id }
              feed @skip(if: $skipFeed) { name }
            }
            edges { node { ... on Diamond { shape } } }
          }
        }
        fragment Grades on Diamond { color clarity }
        """;

    [Fact]
    public async Task Every_object_of_a_page_gets_the_fields_its_request_selects()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        await CatalogSeed.InsertAsync(api.Database, api.A, Enumerable.Range(0, 5).Select(i => new SeedStone { RetailPrice = 1000m + i }));
        var client = api.ClientWith(api.A.ReaderKey);

        var all = await NodesAsync(client, withCarats: true, skipFeed: false);
        var some = await NodesAsync(client, withCarats: false, skipFeed: true);

        all.Count.ShouldBe(5);
        some.Count.ShouldBe(5);
        all.ShouldAllBe(node => Names(node).SequenceEqual(new[] { "id", "carats", "price", "color", "clarity", "feed" }));
        all.ShouldAllBe(node => Names(node.GetProperty("feed")).SequenceEqual(new[] { "id", "name" }));
        some.ShouldAllBe(node => Names(node).SequenceEqual(new[] { "id", "price", "color", "clarity" }));
        all.Select(node => node.GetProperty("price").GetDecimal()).ShouldBe([1000m, 1001m, 1002m, 1003m, 1004m]);
    }

    private static async Task<List<JsonElement>> NodesAsync(HttpClient client, bool withCarats, bool skipFeed)
    {
        var response = await GraphQlClient.PostAsync(client, Query, new { withCarats, skipFeed });
        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToString());
        response.Codes.ShouldBeEmpty();
        var diamonds = response.Data.GetProperty("diamonds");
        diamonds.GetProperty("edges").EnumerateArray().ShouldAllBe(edge => Names(edge.GetProperty("node")).SequenceEqual(new[] { "shape" }));
        return [.. diamonds.GetProperty("nodes").EnumerateArray()];
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];
}
