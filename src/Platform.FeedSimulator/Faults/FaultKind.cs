namespace Platform.FeedSimulator.Faults;

internal enum FaultKind
{
    Latency,
    RateLimit,
    ServerError,
    Timeout,
}

internal static class FaultKindNames
{
    public const string Latency = "latency";
    public const string RateLimit = "rate-limit";
    public const string ServerError = "server-error";
    public const string Timeout = "timeout";

    public static readonly string[] All = [Latency, RateLimit, ServerError, Timeout];

    public static string NameOf(FaultKind kind) => kind switch
    {
        FaultKind.Latency => Latency,
        FaultKind.RateLimit => RateLimit,
        FaultKind.ServerError => ServerError,
        _ => Timeout,
    };

    public static FaultKind? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        Latency => FaultKind.Latency,
        RateLimit => FaultKind.RateLimit,
        ServerError => FaultKind.ServerError,
        Timeout => FaultKind.Timeout,
        _ => null,
    };
}
