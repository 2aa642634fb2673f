using Platform.FeedSimulator.Supplier;

namespace Platform.FeedSimulator.Faults;

/// <summary>A checked fault rule with every default filled in.</summary>
internal sealed record FaultRuleSpec(
    FaultKind Kind,
    double? Rate,
    int? Count,
    int LatencyMs,
    int RetryAfterSeconds,
    int StatusCode,
    IReadOnlyList<string> Paths)
{
    public const int DefaultLatencyMs = 200;
    public const int DefaultTimeoutMs = 60_000;
    private const int MaxLatencyMs = 600_000;
    private const int MaxRetryAfterSeconds = 3600;

    public bool AppliesTo(string endpoint) => Paths.Count == 0 || Paths.Contains(endpoint);

    /// <summary>Checks a definition; on failure names the offending field (PascalCase) and what is wrong with it.</summary>
    public static bool TryCreate(FaultRuleDefinition definition, out FaultRuleSpec spec, out (string Field, string Problem) failure)
    {
        spec = null!;
        failure = default;
        var paths = (definition.Paths ?? []).Select(path => path.ToLowerInvariant()).Distinct().ToArray();
        failure = FindProblem(definition, paths);
        if (failure != default)
        {
            return false;
        }
        var kind = FaultKindNames.Parse(definition.Kind)!.Value;
        spec = new FaultRuleSpec(
            kind,
            definition.Rate,
            definition.Count,
            definition.LatencyMs ?? (kind == FaultKind.Timeout ? DefaultTimeoutMs : DefaultLatencyMs),
            definition.RetryAfterSeconds ?? 1,
            definition.StatusCode ?? StatusCodes.Status503ServiceUnavailable,
            paths);
        return true;
    }

    private static (string, string) FindProblem(FaultRuleDefinition definition, string[] paths)
    {
        if (FaultKindNames.Parse(definition.Kind) is null)
        {
            return ("Kind", $"must be one of {string.Join(", ", FaultKindNames.All)} (was '{definition.Kind}').");
        }
        if ((definition.Rate is null) == (definition.Count is null))
        {
            return ("Rate", "must be given when count is not, and not together with it.");
        }
        if (definition.Rate is < 0 or > 1 || definition.Rate is double.NaN)
        {
            return ("Rate", $"must be between 0 and 1 (was {definition.Rate}).");
        }
        if (definition.Count is < 1)
        {
            return ("Count", $"must be at least 1 (was {definition.Count}).");
        }
        if (definition.LatencyMs is < 0 or > MaxLatencyMs)
        {
            return ("LatencyMs", $"must be between 0 and {MaxLatencyMs} (was {definition.LatencyMs}).");
        }
        if (definition.RetryAfterSeconds is < 0 or > MaxRetryAfterSeconds)
        {
            return ("RetryAfterSeconds", $"must be between 0 and {MaxRetryAfterSeconds} (was {definition.RetryAfterSeconds}).");
        }
        if (definition.StatusCode is < 500 or > 599)
        {
            return ("StatusCode", $"must be between 500 and 599 (was {definition.StatusCode}).");
        }
        if (paths.FirstOrDefault(path => !FeedEndpoint.All.Contains(path)) is { } unknown)
        {
            return ("Paths", $"may only contain {string.Join(", ", FeedEndpoint.All)} (was '{unknown}').");
        }
        return default;
    }
}
