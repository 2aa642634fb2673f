using System.Net;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// Nested lookups are batched per request (BatchLoader): the number of SQL statements a query costs does not grow with
/// the number of items it returns. Statements are counted from Npgsql's ActivitySource, filtered to the test's database.
/// </summary>
public sealed class GraphQlBatchingTests(PlatformServers servers)
{
    private const string Bare = "{ diamonds(first: 50) { edges { node { id } } } }";

    private const string Nested = """
        { diamonds(first: 50) { edges { node { id feed { id name } priceHistory(first: 2) { nodes { newRetailPrice } } } } } }
        """;

    [Fact]
    public async Task A_page_of_50_diamonds_with_feed_and_price_history_costs_one_statement_per_nested_field()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var secondFeed = await GraphQlSeed.FeedAsync(api.Database, api.A, "second");
        var stones = Enumerable.Range(0, 50).Select(i => new SeedStone { RetailPrice = 1000m + i }).ToList();
        await CatalogSeed.InsertAsync(api.Database, api.A, stones.Take(25));
        await CatalogSeed.InsertAsync(api.Database, api.A with { FeedId = secondFeed }, stones.Skip(25));
        foreach (var stone in stones.Take(10))
        {
            await GraphQlSeed.PriceChangesAsync(api.Database, api.A, stone.Id, 3);
        }
        var client = api.ClientWith(api.A.ReaderKey);
        using var counter = new SqlCommandCounter(new NpgsqlConnectionStringBuilder(api.Database.ConnectionString).Database!);

        var bare = await CountAsync(client, counter, Bare);
        var nested = await CountAsync(client, counter, Nested);

        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "graphql-sql-counts.txt"),
            $"diamonds(first: 50) bare={bare.Commands.Count} with feed+priceHistory={nested.Commands.Count}\n", TestContext.Current.CancellationToken);
        // Exactly two more statements: one for all feeds, one for all price histories (not 50 + 50).
        nested.Commands.Count.ShouldBe(bare.Commands.Count + 2, string.Join("\n---\n", nested.Commands));
        nested.Commands.Count(sql => sql.Contains("FROM feeds", StringComparison.Ordinal)).ShouldBe(1);
        nested.Commands.Count(sql => sql.Contains("FROM price_history", StringComparison.Ordinal)).ShouldBe(1);
        var nodes = nested.Response.Data.GetProperty("diamonds").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        nodes.Count.ShouldBe(50);
        nodes.Select(n => n.GetProperty("feed").GetProperty("id").GetGuid()).Distinct().Order().ShouldBe(new[] { api.A.FeedId, secondFeed }.Order());
        nodes.Sum(n => n.GetProperty("priceHistory").GetProperty("nodes").GetArrayLength()).ShouldBe(10 * 2);
    }

    [Fact]
    public async Task Partitions_and_feeds_of_a_page_of_runs_cost_one_statement_each()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        for (var i = 0; i < 12; i++)
        {
            await GraphQlSeed.RunAsync(api.Database, api.A, api.A.FeedId, "completed", partitions: 3);
        }
        var client = api.ClientWith(api.A.ReaderKey);
        using var counter = new SqlCommandCounter(new NpgsqlConnectionStringBuilder(api.Database.ConnectionString).Database!);

        var bare = await CountAsync(client, counter, "{ runs(first: 12) { nodes { id } } }");
        var nested = await CountAsync(client, counter, "{ runs(first: 12) { nodes { id feed { name } partitions { partitionId } } } }");

        nested.Commands.Count.ShouldBe(bare.Commands.Count + 2, string.Join("\n---\n", nested.Commands));
        var runs = nested.Response.Data.GetProperty("runs").GetProperty("nodes").EnumerateArray().ToList();
        runs.Count.ShouldBe(12);
        runs.ShouldAllBe(run => run.GetProperty("partitions").GetArrayLength() == 3 && run.GetProperty("feed").GetProperty("name").GetString() == "feed");
    }

    /// <summary>Runs the query once to warm whatever the api caches, then counts a second run of it.</summary>
    private static async Task<(GraphQlClient.Response Response, IReadOnlyList<string> Commands)> CountAsync(HttpClient client, SqlCommandCounter counter, string query)
    {
        (await GraphQlClient.PostAsync(client, query)).Status.ShouldBe(HttpStatusCode.OK);
        counter.Reset();
        var response = await GraphQlClient.PostAsync(client, query);
        response.Status.ShouldBe(HttpStatusCode.OK, response.Body.ToString());
        response.Codes.ShouldBeEmpty();
        return (response, counter.Commands);
    }
}
