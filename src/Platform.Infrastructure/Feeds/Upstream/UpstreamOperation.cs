namespace Platform.Infrastructure.Feeds.Upstream;

/// <summary>The kinds of upstream call, used as the <c>operation</c> tag of metrics and spans.</summary>
public static class UpstreamOperation
{
    public const string Count = "count";
    public const string Search = "search";
    public const string Authenticate = "authenticate";
    public const string Hold = "hold";
    public const string Order = "order";
}

/// <summary>
/// One logical upstream call as telemetry describes it; offset and limit only for searches. A call that is not
/// <see cref="RetrySafe"/> (a hold or an order) is retried only after answers that prove it changed nothing (429).
/// </summary>
internal readonly record struct UpstreamCall(
    Guid FeedId, string FeedKind, decimal RequestsPerSecond, string Operation, int? Offset = null, int? Limit = null, bool RetrySafe = true);
