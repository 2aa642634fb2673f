using System.Diagnostics.Metrics;

namespace Platform.Api.RateLimiting;

/// <summary>Meter <c>Platform.RateLimiting</c>: requests refused with 429, by policy name (a fixed set; never a key or an organization).</summary>
public static class RateLimitTelemetry
{
    public const string Name = "Platform.RateLimiting";
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Rejections = Meter.CreateCounter<long>(
        "platform.rate_limit.rejections", "{request}", "Requests refused with 429 RATE_LIMITED, by policy.");

    internal static void Rejected(string? policy) =>
        Rejections.Add(1, new KeyValuePair<string, object?>("policy", policy ?? "unknown"));
}
