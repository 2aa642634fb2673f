namespace Platform.FeedSimulator.Orders;

internal sealed record OrderRequest(string? DiamondId, string? Reference);

internal sealed record OrderResponse(string OrderId, string DiamondId, string Status, string? Reference);
