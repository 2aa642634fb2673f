using Platform.FeedSimulator.Holds;
using Platform.FeedSimulator.Orders;

namespace Platform.FeedSimulator.Tests.Holds;

public sealed class HoldAndOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_hold_marks_an_available_stone_on_hold_and_a_second_hold_conflicts()
    {
        await using var simulator = SimulatorHost.Start(time: new FakeTimeProvider(Now));
        var stoneId = FirstAvailableStone(simulator);

        var first = await simulator.PostAsync("/api/v1/holds", new { diamondId = stoneId });
        var second = await simulator.PostAsync("/api/v1/holds", new { diamondId = stoneId });

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var hold = (await first.Content.ReadFromJsonAsync<HoldResponse>(SimulatorHost.Cancellation))!;
        hold.DiamondId.ShouldBe(stoneId);
        hold.Status.ShouldBe("ACTIVE");
        hold.HoldUntil.ShouldBe(Now.UtcDateTime + StoneReservations.HoldDuration);
        first.Headers.Location!.ToString().ShouldBe($"/api/v1/holds/{hold.HoldId}");
        (await simulator.GetStoneAsync(stoneId)).Availability.ShouldBe("ON_HOLD");
        await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Releasing_a_hold_makes_the_stone_available_again()
    {
        await using var simulator = SimulatorHost.Start();
        var stoneId = FirstAvailableStone(simulator);
        var placed = await simulator.PostAsync("/api/v1/holds", new { diamondId = stoneId });
        var hold = (await placed.Content.ReadFromJsonAsync<HoldResponse>(SimulatorHost.Cancellation))!;

        var released = await simulator.Client.DeleteAsync($"/api/v1/holds/{hold.HoldId}", SimulatorHost.Cancellation);
        var releasedAgain = await simulator.Client.DeleteAsync($"/api/v1/holds/{hold.HoldId}", SimulatorHost.Cancellation);

        released.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await released.Content.ReadFromJsonAsync<HoldResponse>(SimulatorHost.Cancellation))!.Status.ShouldBe("RELEASED");
        (await simulator.GetStoneAsync(stoneId)).Availability.ShouldBe("AVAILABLE");
        await releasedAgain.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task An_order_sells_the_stone_and_a_second_order_conflicts()
    {
        await using var simulator = SimulatorHost.Start();
        var stoneId = FirstAvailableStone(simulator);

        var first = await simulator.PostAsync("/api/v1/orders", new { diamondId = stoneId, reference = "PO-1" });
        var second = await simulator.PostAsync("/api/v1/orders", new { diamondId = stoneId, reference = "PO-2" });

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var order = (await first.Content.ReadFromJsonAsync<OrderResponse>(SimulatorHost.Cancellation))!;
        order.Status.ShouldBe("CONFIRMED");
        order.Reference.ShouldBe("PO-1");
        (await simulator.GetStoneAsync(stoneId)).Availability.ShouldBe("SOLD");
        await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task A_held_stone_can_be_ordered_and_stays_sold_when_the_hold_is_released()
    {
        await using var simulator = SimulatorHost.Start();
        var stoneId = FirstAvailableStone(simulator);
        var placed = await simulator.PostAsync("/api/v1/holds", new { diamondId = stoneId });
        var hold = (await placed.Content.ReadFromJsonAsync<HoldResponse>(SimulatorHost.Cancellation))!;

        (await simulator.PostAsync("/api/v1/orders", new { diamondId = stoneId })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await simulator.Client.DeleteAsync($"/api/v1/holds/{hold.HoldId}", SimulatorHost.Cancellation);

        (await simulator.GetStoneAsync(stoneId)).Availability.ShouldBe("SOLD");
    }

    [Fact]
    public async Task Reset_clears_holds_and_orders()
    {
        await using var simulator = SimulatorHost.Start();
        var stoneId = FirstAvailableStone(simulator);
        await simulator.PostAsync("/api/v1/orders", new { diamondId = stoneId });

        await simulator.Client.PostAsync("/admin/reset", null, SimulatorHost.Cancellation);

        (await simulator.GetStoneAsync(stoneId)).Availability.ShouldBe("AVAILABLE");
    }

    [Theory]
    [InlineData("/api/v1/holds")]
    [InlineData("/api/v1/orders")]
    public async Task Holding_or_ordering_an_unknown_stone_is_not_found_and_a_missing_id_is_invalid(string path)
    {
        await using var simulator = SimulatorHost.Start();

        var unknown = await simulator.PostAsync(path, new { diamondId = "SIM-42-9999999" });
        var missing = await simulator.PostAsync(path, new { reference = "x" });

        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_PARAMETER");
    }

    private static string FirstAvailableStone(SimulatorHost simulator) =>
        simulator.AllStones().First(stone => stone.Availability == "AVAILABLE").Id;
}
