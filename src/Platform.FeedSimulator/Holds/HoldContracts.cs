namespace Platform.FeedSimulator.Holds;

internal sealed record HoldRequest(string? DiamondId);

internal sealed record HoldResponse(string HoldId, string DiamondId, string Status, DateTime HoldUntil)
{
    public static HoldResponse From(Hold hold, string status) =>
        new(hold.HoldId, hold.DiamondId, status, hold.HoldUntil.UtcDateTime);
}
