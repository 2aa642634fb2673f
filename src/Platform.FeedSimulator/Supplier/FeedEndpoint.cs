namespace Platform.FeedSimulator.Supplier;

/// <summary>Names a supplier endpoint for fault rules ("paths") and request statistics.</summary>
internal sealed record FeedEndpoint(string Key)
{
    public const string Count = "count";
    public const string Search = "search";
    public const string Get = "get";
    public const string Hold = "hold";
    public const string Release = "release";
    public const string Order = "order";

    public static readonly string[] All = [Count, Search, Get, Hold, Release, Order];

    public static string KeyOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<FeedEndpoint>()?.Key ?? "unknown";
}
