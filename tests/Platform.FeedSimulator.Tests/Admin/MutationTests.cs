using Platform.FeedSimulator.Admin;

namespace Platform.FeedSimulator.Tests.Admin;

public sealed class MutationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string SinceNow = $"updatedFrom={Uri.EscapeDataString(Now.ToString("O", CultureInfo.InvariantCulture))}";
    private static readonly string[] PriceOnly = ["price"];
    private static readonly string[] BothKinds = ["price", "availability"];
    private static readonly object PriceAndAvailability = new { fraction = 0.01, seed = 7, kinds = BothKinds };

    [Fact]
    public async Task Mutating_one_percent_of_ten_thousand_stones_changes_exactly_one_hundred_stamped_now()
    {
        await using var simulator = SimulatorHost.Start(size: 10_000, time: new FakeTimeProvider(Now));
        var before = simulator.AllStones();

        var result = await MutateAsync(simulator, PriceAndAvailability);

        result.Changed.ShouldBe(100);
        result.Ids.Count.ShouldBe(100);
        result.Generation.ShouldBe(1);
        var after = simulator.AllStones();
        var changed = after.Where((stone, index) => stone != before[index]).ToList();
        changed.Select(stone => stone.Id).ShouldBe(result.Ids);
        changed.ShouldAllBe(stone => stone.UpdatedAt == Now.UtcDateTime);
        changed.ShouldAllBe(stone => stone.Price != before[IndexOf(stone)].Price && stone.Availability != before[IndexOf(stone)].Availability);
    }

    [Fact]
    public async Task An_updated_window_from_before_now_finds_exactly_the_mutated_stones()
    {
        var time = new FakeTimeProvider(Now);
        await using var simulator = SimulatorHost.Start(size: 10_000, time: time);
        (await simulator.CountAsync(SinceNow)).ShouldBe(0);

        time.Advance(TimeSpan.FromMinutes(5));
        var result = await MutateAsync(simulator, PriceAndAvailability);

        var found = await simulator.SearchAllAsync(SinceNow);
        found.Select(stone => stone.Id).ShouldBe(result.Ids);
        (await simulator.CountAsync(SinceNow)).ShouldBe(100);
    }

    [Fact]
    public async Task Price_changes_stay_within_twenty_percent_and_keep_stones_findable_by_their_new_price()
    {
        await using var simulator = SimulatorHost.Start(size: 10_000, time: new FakeTimeProvider(Now));
        var before = simulator.AllStones();

        var result = await MutateAsync(simulator, new { fraction = 0.05, seed = 3, kinds = PriceOnly });

        foreach (var id in result.Ids)
        {
            var stone = await simulator.GetStoneAsync(id);
            var ratio = stone.Price / before[IndexOf(stone)].Price;
            Math.Abs(ratio - 1).ShouldBeInRange(0.0099m, 0.2001m);
            stone.Availability.ShouldBe(before[IndexOf(stone)].Availability);
            var around = $"priceFrom={stone.Price.ToString(CultureInfo.InvariantCulture)}&priceTo={stone.Price + 0.01m}";
            (await simulator.SearchAllAsync(around)).ShouldContain(found => found.Id == id);
        }
    }

    [Fact]
    public async Task The_same_mutation_on_the_same_catalogue_changes_the_same_stones_the_same_way()
    {
        await using var first = SimulatorHost.Start(time: new FakeTimeProvider(Now));
        await using var second = SimulatorHost.Start(time: new FakeTimeProvider(Now));

        await MutateAsync(first, PriceAndAvailability);
        await MutateAsync(second, PriceAndAvailability);

        second.AllStones().ShouldBe(first.AllStones());
    }

    [Fact]
    public async Task Reset_restores_the_pristine_catalogue()
    {
        await using var simulator = SimulatorHost.Start(time: new FakeTimeProvider(Now));
        const string Page = "/api/v1/diamonds?priceFrom=1000&priceTo=9000&limit=50";
        var pristine = await simulator.Client.GetStringAsync(Page, SimulatorHost.Cancellation);
        await MutateAsync(simulator, new { fraction = 0.5, seed = 1, kinds = BothKinds });
        (await simulator.Client.GetStringAsync(Page, SimulatorHost.Cancellation)).ShouldNotBe(pristine);

        var reset = await simulator.Client.PostAsync("/admin/reset", null, SimulatorHost.Cancellation);

        reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reset.Content.ReadFromJsonAsync<ResetResponse>(SimulatorHost.Cancellation))!.Generation.ShouldBe(2);
        (await simulator.Client.GetStringAsync(Page, SimulatorHost.Cancellation)).ShouldBe(pristine);
        (await simulator.CountAsync(SinceNow)).ShouldBe(0);
    }

    [Fact]
    public async Task Readers_never_see_half_a_mutation()
    {
        await using var simulator = SimulatorHost.Start(time: new FakeTimeProvider(Now));
        using var stop = new CancellationTokenSource();
        var observed = new System.Collections.Concurrent.ConcurrentBag<int>();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                observed.Add(await simulator.CountAsync(SinceNow));
            }
        })).ToArray();

        await MutateAsync(simulator, PriceAndAvailability);
        await simulator.CountAsync(SinceNow);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        observed.ShouldAllBe(count => count == 0 || count == 100);
    }

    [Theory]
    [InlineData(0.0, "price")]
    [InlineData(1.5, "price")]
    [InlineData(0.1, "remove")]
    public async Task An_invalid_mutation_is_rejected(double fraction, string kind)
    {
        await using var simulator = SimulatorHost.Start();

        var response = await simulator.PostAsync("/admin/mutations", new { fraction, seed = 1, kinds = new[] { kind } });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_PARAMETER");
    }

    private static int IndexOf(Stone stone) => int.Parse(stone.Id[^7..], CultureInfo.InvariantCulture);

    private static async Task<MutationResponse> MutateAsync(SimulatorHost simulator, object mutation)
    {
        var response = await simulator.PostAsync("/admin/mutations", mutation);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<MutationResponse>(SimulatorHost.Cancellation))!;
    }
}
