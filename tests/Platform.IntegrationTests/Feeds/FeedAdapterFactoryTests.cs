using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>Choosing the adapter by <c>feeds.adapter</c>, and refusing feeds it cannot serve with a message naming feed and field.</summary>
public sealed class FeedAdapterFactoryTests
{
    [Fact]
    public async Task Each_known_kind_gets_its_adapter_with_the_suppliers_page_sizes()
    {
        await using var host = FeedTestHost.Start(() => new HttpClientHandler());

        var simulator = host.Adapter(TestFeeds.Simulator());
        var nivoda = host.Adapter(TestFeeds.Nivoda());

        (simulator.Kind, simulator.MaxPageSize, simulator.DefaultPageSize).ShouldBe(("simulator", 50, 30));
        (nivoda.Kind, nivoda.MaxPageSize, nivoda.DefaultPageSize).ShouldBe(("nivoda-graphql", 50, 30));
    }

    [Theory]
    [InlineData("csv-ftp", "{}", "x", "unknown adapter kind 'csv-ftp'; known kinds are simulator, nivoda-graphql")]
    [InlineData("simulator", "{\"baseUrl\": ", null, "config of the simulator feed is not valid JSON")]
    [InlineData("simulator", "[]", null, "config of the simulator feed must be a JSON object")]
    [InlineData("simulator", "{}", null, "config field 'baseUrl' of the simulator feed must be an absolute http(s) URL")]
    [InlineData("simulator", "{\"baseUrl\": \"ftp://feeds.example\"}", null, "config field 'baseUrl'")]
    [InlineData("simulator", "{\"baseUrl\": \"http://127.0.0.1:5090\", \"apiToken\": 42}", null, "config field 'apiToken' of the simulator feed must be a string or null")]
    [InlineData("nivoda-graphql", "{\"username\": \"u\"}", "ref", "config field 'endpoint' of the nivoda-graphql feed")]
    [InlineData("nivoda-graphql", "{\"endpoint\": \"https://nivoda.test/api\"}", "ref", "config field 'username' of the nivoda-graphql feed is required")]
    public async Task A_feed_the_factory_cannot_serve_is_refused_naming_the_feed_and_the_field(
        string adapter, string config, string? secretRef, string expected)
    {
        await using var host = FeedTestHost.Start(() => new HttpClientHandler());
        var feed = new FeedDefinition(Guid.NewGuid(), Guid.NewGuid(), adapter, config, secretRef, 30, 50, 2);

        var failure = Should.Throw<FeedConfigurationException>(() => host.Adapter(feed));

        failure.FeedId.ShouldBe(feed.Id);
        failure.Message.ShouldStartWith($"Feed {feed.Id}: ");
        failure.Message.ShouldContain(expected);
    }
}
