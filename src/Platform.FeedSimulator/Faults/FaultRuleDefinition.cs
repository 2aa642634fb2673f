namespace Platform.FeedSimulator.Faults;

/// <summary>
/// A fault rule as written by a person, in configuration (Simulator:Faults:Rules:N) or in the
/// body of POST /admin/faults. <see cref="FaultRuleSpec.TryCreate"/> checks and completes it.
/// </summary>
public sealed class FaultRuleDefinition
{
    /// <summary>latency, rate-limit, server-error or timeout.</summary>
    public string? Kind { get; set; }

    /// <summary>Probability (0..1) that a matching call is hit. Give this or <see cref="Count"/>.</summary>
    public double? Rate { get; set; }

    /// <summary>Hit exactly the next N matching calls. Give this or <see cref="Rate"/>.</summary>
    public int? Count { get; set; }

    /// <summary>Delay for latency (default 200 ms) and how long a timeout hangs (default 60 000 ms).</summary>
    public int? LatencyMs { get; set; }

    /// <summary>The Retry-After header of a rate-limit fault (default 1).</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>The status of a server-error fault, 500–599 (default 503).</summary>
    public int? StatusCode { get; set; }

    /// <summary>Supplier endpoints the rule applies to (count, search, get, hold, release, order); empty means all.</summary>
    public IReadOnlyList<string>? Paths { get; set; }
}
