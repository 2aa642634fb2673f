using Platform.FeedSimulator.Supplier;

namespace Platform.FeedSimulator.Holds;

/// <summary>Place and release holds; a held stone reads as ON_HOLD until released.</summary>
internal static class HoldsApi
{
    public static RouteGroupBuilder MapHoldsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/holds", PlaceHold).WithMetadata(new FeedEndpoint(FeedEndpoint.Hold));
        api.MapDelete("/holds/{holdId}", ReleaseHold).WithMetadata(new FeedEndpoint(FeedEndpoint.Release));
        return api;
    }

    private static Results<Created<HoldResponse>, ProblemHttpResult> PlaceHold(HoldRequest request, [AsParameters] SupplierServices services)
    {
        if (string.IsNullOrWhiteSpace(request.DiamondId))
        {
            return SimulatorProblems.Invalid("diamondId is required.");
        }
        var snapshot = services.Catalogue.Current;
        if (!StoneIdentity.TryParseIndex(request.DiamondId, snapshot.Seed, snapshot.Size, out var index))
        {
            return SimulatorProblems.Missing($"No diamond with id '{request.DiamondId}'.");
        }
        var outcome = services.Reservations.PlaceHold(snapshot, index);
        return outcome.Value is { } hold
            ? TypedResults.Created($"/api/v1/holds/{hold.HoldId}", HoldResponse.From(hold, "ACTIVE"))
            : SimulatorProblems.Conflicting(outcome.ConflictReason!);
    }

    private static Results<Ok<HoldResponse>, ProblemHttpResult> ReleaseHold(string holdId, StoneReservations reservations) =>
        reservations.ReleaseHold(holdId) is { } hold
            ? TypedResults.Ok(HoldResponse.From(hold, "RELEASED"))
            : SimulatorProblems.Missing($"No active hold with id '{holdId}'.");
}
