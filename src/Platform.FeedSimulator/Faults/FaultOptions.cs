namespace Platform.FeedSimulator.Faults;

/// <summary>Faults active from start, and the seed of the draws for rate-based rules.</summary>
public sealed class FaultOptions
{
    public const string SectionName = "Simulator:Faults";

    /// <summary>Seeds the per-call draws of rate rules, so a run of calls fails the same way every time.</summary>
    public int Seed { get; set; } = 1;

    public IList<FaultRuleDefinition> Rules { get; } = [];
}

internal sealed class FaultOptionsValidator : IValidateOptions<FaultOptions>
{
    public ValidateOptionsResult Validate(string? name, FaultOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Rules.Count; i++)
        {
            if (!FaultRuleSpec.TryCreate(options.Rules[i], out _, out var failure))
            {
                failures.Add($"{FaultOptions.SectionName}:Rules:{i}:{failure.Field} {failure.Problem}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
