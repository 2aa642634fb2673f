using Microsoft.Extensions.DependencyInjection;

namespace Platform.FeedSimulator.Tests.Search;

public sealed class DiamondSearchTests
{
    private const string Partition = "priceFrom=1000&priceTo=3000&updatedFrom=2024-06-01T00:00:00Z";

    [Fact]
    public async Task Paging_a_partition_with_limit_50_visits_every_matching_stone_once_in_createdAt_order()
    {
        await using var simulator = SimulatorHost.Start();
        var expected = ReferenceFilter.Apply(simulator.AllStones(), Partition);

        var visited = await simulator.SearchAllAsync(Partition, limit: 50);

        expected.Count.ShouldBeGreaterThan(100, "the partition should span several pages");
        visited.Select(stone => stone.Id).ShouldBe(expected.Select(stone => stone.Id));
        visited.Select(stone => stone.CreatedAt).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task A_page_reports_the_total_matching_count_and_echoes_offset_and_limit()
    {
        await using var simulator = SimulatorHost.Start();

        var page = await simulator.SearchAsync($"{Partition}&offset=20&limit=7");

        page.TotalCount.ShouldBe(await simulator.CountAsync(Partition));
        page.Offset.ShouldBe(20);
        page.Limit.ShouldBe(7);
        page.Items.Count.ShouldBe(7);
    }

    [Fact]
    public async Task Without_a_limit_a_page_holds_the_default_30_stones()
    {
        await using var simulator = SimulatorHost.Start();

        var page = await simulator.SearchAsync("");

        page.Items.Count.ShouldBe(30);
        page.Items[0].Id.ShouldBe("SIM-42-0000000");
    }

    [Fact]
    public async Task An_offset_beyond_the_end_returns_an_empty_page()
    {
        await using var simulator = SimulatorHost.Start();

        var page = await simulator.SearchAsync("offset=10000&limit=50");

        page.Items.ShouldBeEmpty();
        page.TotalCount.ShouldBe(SimulatorHost.DefaultSize);
    }

    [Theory]
    [InlineData("limit=51", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=ten", "offset")]
    public async Task Out_of_range_paging_is_rejected_with_a_problem_naming_the_parameter(string query, string parameter)
    {
        await using var simulator = SimulatorHost.Start();

        var response = await simulator.Client.GetAsync($"/api/v1/diamonds?{query}", SimulatorHost.Cancellation);

        var detail = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        detail.ShouldStartWith(parameter);
    }

    [Fact]
    public async Task The_maximum_page_size_is_configurable()
    {
        await using var simulator = SimulatorHost.Start(settings: new Dictionary<string, string?>
        {
            ["Simulator:MaxPageSize"] = "10",
            ["Simulator:DefaultPageSize"] = "5",
        });

        (await simulator.SearchAsync("")).Items.Count.ShouldBe(5);
        (await simulator.SearchAsync("limit=10")).Items.Count.ShouldBe(10);
        var tooLarge = await simulator.Client.GetAsync("/api/v1/diamonds?limit=11", SimulatorHost.Cancellation);
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Successive_pages_of_one_partition_reuse_one_memoized_result()
    {
        await using var simulator = SimulatorHost.Start();

        await simulator.SearchAllAsync(Partition);

        simulator.Services.GetRequiredService<CatalogueStore>().Current.FilterCache.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_stone_is_fetched_by_id_and_an_unknown_id_is_not_found()
    {
        await using var simulator = SimulatorHost.Start();

        var stone = await simulator.GetStoneAsync("SIM-42-0000123");
        var missing = await simulator.Client.GetAsync("/api/v1/diamonds/SIM-42-0010000", SimulatorHost.Cancellation);

        stone.ShouldBe(simulator.AllStones()[123], "stone records compare by value, certificate included");
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
