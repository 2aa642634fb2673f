using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>The simulator adapter against the real simulator, in-process.</summary>
public sealed class SimulatorFeedAdapterTests
{
    private static readonly FeedQuery Affordable = new(500, 5_000, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private const string AffordableFilter = "priceFrom=500&priceTo=5000&updatedFrom=2024-01-01T00:00:00Z&updatedTo=2026-01-01T00:00:00Z";

    [Fact]
    public async Task Count_agrees_with_the_simulator_for_the_same_half_open_filter()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);

        var count = await host.Adapter(TestFeeds.Simulator()).CountAsync(Affordable, CancellationToken.None);

        using var expected = JsonDocument.Parse(await simulator.Client.GetStringAsync($"/api/v1/diamonds/count?{AffordableFilter}"));
        count.ShouldBe(expected.RootElement.GetProperty("count").GetInt64());
        count.ShouldBeGreaterThan(30);
    }

    [Fact]
    public async Task Search_returns_consecutive_pages_in_created_order_with_each_stone_verbatim()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Simulator());

        var first = await adapter.SearchAsync(Affordable, offset: 0, limit: 30, CancellationToken.None);
        var second = await adapter.SearchAsync(Affordable, offset: 30, limit: 30, CancellationToken.None);

        var expected = JsonNode.Parse(await simulator.Client.GetStringAsync($"/api/v1/diamonds?{AffordableFilter}&offset=0&limit=50"))!["items"]!.AsArray();
        var stones = first.Items.Concat(second.Items).ToList();
        (first.Items.Count, second.Items.Count, expected.Count).ShouldBe((30, 30, 50));
        for (var i = 0; i < 50; i++)
        {
            JsonNode.DeepEquals(JsonNode.Parse(stones[i].PayloadJson), expected[i]).ShouldBeTrue($"stone {i} was not kept verbatim");
            stones[i].SupplierStoneId.ShouldBe(expected[i]!["id"]!.GetValue<string>());
            stones[i].OfferId.ShouldBe(expected[i]!["offerId"]!.GetValue<string>());
            stones[i].SourceUpdatedAt.ShouldBe(DateTimeOffset.Parse(expected[i]!["updatedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        }
        stones.Select(s => JsonNode.Parse(s.PayloadJson)!["createdAt"]!.GetValue<DateTime>()).ShouldBeInOrder();
    }

    [Fact]
    public async Task A_stone_from_a_page_maps_to_a_draft_with_the_simulators_values()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Simulator());
        var stone = (await adapter.SearchAsync(Affordable, 0, 1, CancellationToken.None)).Items.ShouldHaveSingleItem();
        var payload = JsonNode.Parse(stone.PayloadJson)!;

        var draft = adapter.Map(stone);

        draft.SupplierStoneId.ShouldBe(payload["id"]!.GetValue<string>());
        draft.OfferId.ShouldBe(payload["offerId"]!.GetValue<string>());
        draft.Shape.ShouldBe(payload["shape"]!.GetValue<string>());
        draft.Carats.ShouldBe(payload["carats"]!.GetValue<decimal>());
        draft.FeedPrice.ShouldBe(payload["price"]!.GetValue<decimal>());
        draft.LabGrown.ShouldBe(payload["labGrown"]!.GetValue<bool>());
        draft.Color.ShouldBe(payload["color"]!.GetValue<string>());
        draft.CertificateLab.ShouldBe(payload["certificate"]!["lab"]!.GetValue<string>());
        draft.CertificateNumber.ShouldBe(payload["certificate"]!["number"]!.GetValue<string>());
        draft.SupplierName.ShouldBe(payload["supplierName"]!.GetValue<string>());
        draft.Availability.ShouldBe(DiamondAvailability.Available);
        draft.SourceUpdatedAt.ShouldBe(stone.SourceUpdatedAt);
    }

    [Theory]
    [InlineData("AVAILABLE", DiamondAvailability.Available)]
    [InlineData("ON_HOLD", DiamondAvailability.OnHold)]
    [InlineData("SOLD", DiamondAvailability.Sold)]
    [InlineData("MEMO", DiamondAvailability.Unavailable)]
    public async Task Availability_maps_to_the_catalog_values(string supplierValue, string expected)
    {
        await using var host = FeedTestHost.Start(() => new HttpClientHandler());
        var adapter = host.Adapter(TestFeeds.Simulator());

        var draft = adapter.Map(Stone($$"""{"id":"S1","shape":"oval","carats":1.2,"labGrown":true,"price":999.999,"availability":"{{supplierValue}}"}"""));

        draft.Availability.ShouldBe(expected);
        draft.Shape.ShouldBe("OVAL");
        draft.FeedPrice.ShouldBe(1_000.00m);
    }

    [Theory]
    [InlineData("""{"id":"S1","shape":"OVAL","carats":"heavy","labGrown":true,"price":1}""", "'carats'")]
    [InlineData("""{"id":"S1","carats":1,"labGrown":true,"price":1}""", "'shape'")]
    [InlineData("""{"id":"S1","shape":"OVAL","carats":1,"price":1}""", "'labGrown'")]
    [InlineData("""{"id":"S1","shape":"OVAL","carats":0,"labGrown":true,"price":1}""", "carats must be positive")]
    [InlineData("""not json""", "not valid JSON")]
    public async Task A_malformed_payload_fails_mapping_naming_what_is_wrong(string payload, string named)
    {
        await using var host = FeedTestHost.Start(() => new HttpClientHandler());
        var adapter = host.Adapter(TestFeeds.Simulator());

        var failure = Should.Throw<FeedMappingException>(() => adapter.Map(Stone(payload)));

        failure.Message.ShouldContain("Simulator stone 'S1'");
        failure.Message.ShouldContain(named);
    }

    [Fact]
    public async Task The_configured_api_token_is_sent_and_a_wrong_one_is_refused_without_retry()
    {
        await using var simulator = SimulatorServer.Start(apiToken: "feed-token");
        await using var host = FeedTestHost.Start(simulator.CreateHandler);

        (await host.Adapter(TestFeeds.Simulator(apiToken: "feed-token")).CountAsync(Affordable, CancellationToken.None)).ShouldBeGreaterThan(0);
        var refused = await Should.ThrowAsync<UpstreamHttpException>(
            () => host.Adapter(TestFeeds.Simulator(apiToken: "stolen")).CountAsync(Affordable, CancellationToken.None));

        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.IsTransient.ShouldBeFalse();
        (await simulator.RequestsAsync("count")).ShouldBe(2);
    }

    [Fact]
    public async Task A_search_is_traced_with_feed_operation_page_and_item_count()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        var feed = TestFeeds.Simulator();
        using var recorder = new UpstreamRecorder(host.Services, feed.Id);

        await host.Adapter(feed).SearchAsync(Affordable, offset: 10, limit: 20, CancellationToken.None);

        var span = recorder.Spans.ShouldHaveSingleItem();
        span.GetTagItem("platform.upstream.operation").ShouldBe(UpstreamOperation.Search);
        span.GetTagItem("platform.upstream.offset").ShouldBe(10);
        span.GetTagItem("platform.upstream.limit").ShouldBe(20);
        span.GetTagItem("platform.upstream.items").ShouldBe(20);
        var duration = recorder.Of("platform.upstream.request.duration").ShouldHaveSingleItem();
        (duration.Tag("feed_kind"), duration.Tag("operation"), duration.Tag("outcome")).ShouldBe(("simulator", "search", "success"));
    }

    [Fact]
    public async Task A_page_larger_than_the_supplier_serves_is_refused_before_any_call()
    {
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Simulator());

        (adapter.Kind, adapter.MaxPageSize, adapter.DefaultPageSize).ShouldBe(("simulator", 50, 30));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => adapter.SearchAsync(Affordable, 0, 51, CancellationToken.None));
        (await simulator.RequestsAsync("search")).ShouldBe(0);
    }

    private static RawStone Stone(string payload) => new("S1", "O1", DateTimeOffset.UnixEpoch, payload);
}
