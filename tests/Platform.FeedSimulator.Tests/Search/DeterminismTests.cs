namespace Platform.FeedSimulator.Tests.Search;

public sealed class DeterminismTests
{
    private const string Query = "/api/v1/diamonds?priceFrom=1500&priceTo=2500&offset=50&limit=50";

    [Fact]
    public async Task Simulators_with_the_same_seed_and_size_answer_a_query_with_identical_bytes()
    {
        await using var first = SimulatorHost.Start(seed: 42);
        await using var second = SimulatorHost.Start(seed: 42);

        var firstPage = await first.Client.GetByteArrayAsync(Query, SimulatorHost.Cancellation);
        var secondPage = await second.Client.GetByteArrayAsync(Query, SimulatorHost.Cancellation);

        secondPage.ShouldBe(firstPage);
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_answer()
    {
        await using var first = SimulatorHost.Start(seed: 42);
        await using var second = SimulatorHost.Start(seed: 43);

        var firstPage = await first.Client.GetStringAsync(Query, SimulatorHost.Cancellation);
        var secondPage = await second.Client.GetStringAsync(Query, SimulatorHost.Cancellation);

        secondPage.ShouldNotBe(firstPage);
    }

    [Fact]
    public async Task Stones_serialize_with_camelCase_fields_two_decimal_prices_and_UTC_timestamps()
    {
        await using var simulator = SimulatorHost.Start();

        var json = await simulator.Client.GetStringAsync("/api/v1/diamonds/SIM-42-0000001", SimulatorHost.Cancellation);

        json.ShouldStartWith("{\"id\":\"SIM-42-0000001\",\"offerId\":\"OFFER-42-0000001\",\"shape\":");
        json.ShouldMatch(@"""price"":\d+\.\d\d,");
        json.ShouldContain("\"createdAt\":\"2024-01-01T00:00:07Z\"");
        json.ShouldContain("\"certificate\":{\"lab\":");
    }
}
