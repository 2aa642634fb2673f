namespace Platform.FeedSimulator.Tests.Search;

public sealed class DiamondCountTests
{
    [Theory]
    [InlineData("")]
    [InlineData("priceFrom=0&priceTo=20000")]
    [InlineData("priceFrom=500.50&priceTo=1234.56")]
    [InlineData("priceFrom=20000")]
    [InlineData("priceTo=300")]
    [InlineData("labGrown=true")]
    [InlineData("labGrown=false&priceFrom=1000&priceTo=5000")]
    [InlineData("updatedFrom=2025-06-01T00:00:00Z")]
    [InlineData("updatedTo=2024-12-31T23:59:59Z&labGrown=false")]
    [InlineData("priceFrom=2000&priceTo=90000&updatedFrom=2025-01-01T00:00:00Z&updatedTo=2025-06-30T12:00:00Z&labGrown=true")]
    [InlineData("priceFrom=5000&priceTo=5000")]
    [InlineData("priceFrom=9000&priceTo=1000")]
    public async Task Count_equals_the_number_of_stones_the_filter_matches(string query)
    {
        await using var simulator = SimulatorHost.Start();

        var count = await simulator.CountAsync(query);

        count.ShouldBe(ReferenceFilter.Apply(simulator.AllStones(), query).Count);
    }

    [Fact]
    public async Task The_price_range_is_half_open_so_adjacent_ranges_split_the_catalogue_without_overlap()
    {
        await using var simulator = SimulatorHost.Start();
        var total = await simulator.CountAsync();

        var parts = new List<int>();
        for (var from = 0; from < 250_000; from += 1_000)
        {
            parts.Add(await simulator.CountAsync($"priceFrom={from}&priceTo={from + 1_000}"));
        }

        parts.Sum().ShouldBe(total);
    }

    [Fact]
    public async Task A_stone_priced_exactly_at_priceFrom_is_counted_and_one_priced_exactly_at_priceTo_is_not()
    {
        await using var simulator = SimulatorHost.Start();
        var stone = simulator.AllStones()[1234];
        var price = stone.Price.ToString(CultureInfo.InvariantCulture);
        var samePrice = simulator.AllStones().Count(other => other.Price == stone.Price);

        (await simulator.CountAsync($"priceFrom={price}&priceTo={stone.Price + 0.01m}")).ShouldBe(samePrice);
        (await simulator.CountAsync($"priceFrom={stone.Price - 0.01m}&priceTo={price}")).ShouldBe(
            simulator.AllStones().Count(other => other.Price == stone.Price - 0.01m));
    }

    [Fact]
    public async Task The_updated_window_includes_both_of_its_ends()
    {
        await using var simulator = SimulatorHost.Start();
        var stone = simulator.AllStones()[4321];
        var instant = Uri.EscapeDataString(stone.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));

        var count = await simulator.CountAsync($"updatedFrom={instant}&updatedTo={instant}");

        count.ShouldBe(simulator.AllStones().Count(other => other.UpdatedAt == stone.UpdatedAt));
        count.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Theory]
    [InlineData("priceFrom=abc", "priceFrom")]
    [InlineData("priceTo=-5", "priceTo")]
    [InlineData("updatedFrom=yesterday", "updatedFrom")]
    [InlineData("labGrown=maybe", "labGrown")]
    public async Task A_malformed_filter_is_rejected_with_a_problem_naming_the_parameter(string query, string parameter)
    {
        await using var simulator = SimulatorHost.Start();

        var response = await simulator.Client.GetAsync($"/api/v1/diamonds/count?{query}", SimulatorHost.Cancellation);

        var detail = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        detail.ShouldStartWith(parameter);
    }
}
