using Platform.FeedSimulator.Supplier;

namespace Platform.FeedSimulator.Orders;

/// <summary>Buy a stone: it reads as SOLD afterwards, whether or not it was held.</summary>
internal static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orders", PlaceOrder).WithMetadata(new FeedEndpoint(FeedEndpoint.Order));
        return api;
    }

    private static Results<Created<OrderResponse>, ProblemHttpResult> PlaceOrder(OrderRequest request, [AsParameters] SupplierServices services)
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
        var outcome = services.Reservations.PlaceOrder(snapshot, index);
        return outcome.Value is { } orderId
            ? TypedResults.Created($"/api/v1/orders/{orderId}", new OrderResponse(orderId, request.DiamondId, "CONFIRMED", request.Reference))
            : SimulatorProblems.Conflicting(outcome.ConflictReason!);
    }
}
