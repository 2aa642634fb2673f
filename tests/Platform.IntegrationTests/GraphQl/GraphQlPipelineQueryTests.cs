using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>The reads beyond the catalog search: feeds, runs with partitions, pricing rules and a diamond's price history.</summary>
public sealed class GraphQlPipelineQueryTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feeds_lists_the_callers_feeds_only_without_their_configuration()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var second = await GraphQlSeed.FeedAsync(api.Database, api.A, "another", enabled: false);

        var response = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), "{ feeds { id name adapter enabled scheduleCron } }");

        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToString());
        var feeds = response.Data.GetProperty("feeds").EnumerateArray().ToList();
        feeds.Select(f => f.GetProperty("id").GetGuid()).ShouldBe([second, api.A.FeedId]);
        feeds.Select(f => f.GetProperty("enabled").GetBoolean()).ShouldBe([false, true]);
        feeds[1].GetProperty("adapter").GetString().ShouldBe("simulator");
    }

    [Fact]
    public async Task Diamond_price_history_pages_over_the_rest_keyset_and_its_cursors_work_in_rest()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var stone = new SeedStone();
        await CatalogSeed.InsertAsync(api.Database, api.A, [stone]);
        await GraphQlSeed.PriceChangesAsync(api.Database, api.A, stone.Id, 5);
        var client = api.ClientWith(api.A.ReaderKey);
        const string query = """
            query($id: ID!, $after: String) {
              diamond(id: $id) { feed { id } priceHistory(first: 2, after: $after) { edges { cursor node { newRetailPrice changedAt } } pageInfo { hasNextPage endCursor } } }
            }
            """;

        var prices = new List<decimal>();
        string? after = null;
        string? secondCursor = null;
        for (var page = 0; ; page++)
        {
            var response = await GraphQlClient.PostAsync(client, query, new { id = stone.Id, after });
            response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToString());
            var diamond = response.Data.GetProperty("diamond");
            diamond.GetProperty("feed").GetProperty("id").GetGuid().ShouldBe(api.A.FeedId);
            var history = diamond.GetProperty("priceHistory");
            prices.AddRange(history.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("newRetailPrice").GetDecimal()));
            var pageInfo = history.GetProperty("pageInfo");
            secondCursor ??= page == 0 ? pageInfo.GetProperty("endCursor").GetString() : null;
            if (!pageInfo.GetProperty("hasNextPage").GetBoolean())
            {
                break;
            }
            after = pageInfo.GetProperty("endCursor").GetString();
        }

        prices.ShouldBe([1004m, 1003m, 1002m, 1001m, 1000m]);
        // The same keyset and cursor scope as REST: a GraphQL cursor continues a REST listing.
        var rest = await client.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds/{stone.Id}/price-history?limit=2&cursor={Uri.EscapeDataString(secondCursor!)}", Ct);
        rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("newRetailPrice").GetDecimal()).ShouldBe([1002m, 1001m]);
    }

    [Fact]
    public async Task Price_history_refuses_a_first_out_of_range_and_a_cursor_of_another_stone()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        SeedStone one = new(), two = new();
        await CatalogSeed.InsertAsync(api.Database, api.A, [one, two]);
        await GraphQlSeed.PriceChangesAsync(api.Database, api.A, one.Id, 3);
        var client = api.ClientWith(api.A.ReaderKey);
        const string query = "query($id: ID!, $first: Int, $after: String) { diamond(id: $id) { id priceHistory(first: $first, after: $after) { pageInfo { endCursor } } } }";
        var cursor = (await GraphQlClient.PostAsync(client, query, new { id = one.Id, first = 1 }))
            .Data.GetProperty("diamond").GetProperty("priceHistory").GetProperty("pageInfo").GetProperty("endCursor").GetString();

        var tooMany = await GraphQlClient.PostAsync(client, query, new { id = one.Id, first = 101 });
        var foreignCursor = await GraphQlClient.PostAsync(client, query, new { id = two.Id, after = cursor });

        tooMany.Codes.ShouldBe(["VALIDATION_FAILED"]);
        tooMany.FirstMessage.ShouldContain("first");
        foreignCursor.Codes.ShouldBe(["INVALID_CURSOR"]);
    }

    [Fact]
    public async Task Runs_pages_newest_first_and_run_reads_its_partitions_while_another_organizations_run_is_null()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var partitionsOf = new Dictionary<Guid, int>();
        for (var i = 1; i <= 3; i++)
        {
            partitionsOf[await GraphQlSeed.RunAsync(api.Database, api.A, api.A.FeedId, "completed", partitions: i)] = i;
        }
        var theirs = await GraphQlSeed.RunAsync(api.Database, api.B, api.B.FeedId, "completed", partitions: 1);
        // Postgres orders uuids bytewise (as their text); UUIDv7s of one millisecond are not ordered by creation.
        List<Guid> runs = [.. partitionsOf.Keys.OrderByDescending(id => id.ToString(), StringComparer.Ordinal)];
        var client = api.ClientWith(api.A.ReaderKey);
        const string list = "query($after: String) { runs(first: 2, after: $after) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }";

        var first = await GraphQlClient.PostAsync(client, list);
        var endCursor = first.Data.GetProperty("runs").GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var second = await GraphQlClient.PostAsync(client, list, new { after = endCursor });
        var mine = await GraphQlClient.PostAsync(client, "query($id: ID!) { run(id: $id) { id feedId partitions { partitionId failed minPrice maxPrice } } }", new { id = runs[0] });
        var other = await GraphQlClient.PostAsync(client, "query($id: ID!) { run(id: $id) { id } }", new { id = theirs });

        Ids(first).ShouldBe([runs[0], runs[1]]);
        first.Data.GetProperty("runs").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean().ShouldBeTrue();
        Ids(second).ShouldBe([runs[2]]);
        second.Data.GetProperty("runs").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean().ShouldBeFalse();
        var run = mine.Data.GetProperty("run");
        run.GetProperty("feedId").GetGuid().ShouldBe(api.A.FeedId);
        run.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("partitionId").GetString())
            .ShouldBe(Enumerable.Range(0, partitionsOf[runs[0]]).Select(i => "p" + i));
        other.Status.ShouldBe(HttpStatusCode.OK);
        other.Data.GetProperty("run").ValueKind.ShouldBe(JsonValueKind.Null);
        other.Codes.ShouldBeEmpty();

        static IEnumerable<Guid> Ids(GraphQlClient.Response response) =>
            response.Data.GetProperty("runs").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("{ runs(first: 0) { nodes { id } } }", "first")]
    [InlineData("{ runs(first: 101) { nodes { id } } }", "first")]
    [InlineData("{ runs(after: \"not-a-cursor\") { nodes { id } } }", "after")]
    [InlineData("{ runs(feedId: \"x\") { nodes { id } } }", "feedId")]
    public async Task Runs_refuses_invalid_arguments_with_validation_failed(string query, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), query);

        response.Status.ShouldBe(HttpStatusCode.OK);
        response.Codes.ShouldBe(["VALIDATION_FAILED"]);
        response.FirstMessage.ShouldContain(field + ":");
        response.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(response.Body.ToString());
        response.Data.ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Pricing_rules_lists_the_callers_rules_in_priority_order()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var low = await PricingRulesApiTests.CreateIdAsync(api.ClientWith(api.A.AdminKey), new { priority = 5, markupRatio = 1.2m, shapes = new[] { "ROUND" } });
        var high = await PricingRulesApiTests.CreateIdAsync(api.ClientWith(api.A.AdminKey), new { priority = 1, markupRatio = 1.1m, active = false });
        await PricingRulesApiTests.CreateIdAsync(api.ClientWith(api.B.AdminKey), new { priority = 3, markupRatio = 1.3m });
        var client = api.ClientWith(api.A.ReaderKey);

        var active = await GraphQlClient.PostAsync(client, "{ pricingRules { id priority markupRatio shapes active } }");
        var all = await GraphQlClient.PostAsync(client, "{ pricingRules(includeInactive: true) { id } }");

        var rules = active.Data.GetProperty("pricingRules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetGuid()).ShouldBe([low]);
        rules[0].GetProperty("markupRatio").GetDecimal().ShouldBe(1.2m);
        rules[0].GetProperty("shapes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["ROUND"]);
        all.Data.GetProperty("pricingRules").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldBe([high, low]);
    }
}
