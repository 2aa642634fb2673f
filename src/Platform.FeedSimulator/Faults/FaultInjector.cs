using Platform.FeedSimulator.Telemetry;

namespace Platform.FeedSimulator.Faults;

/// <summary>
/// The active fault rules. Rules are tried in the order they were added and the first that
/// fires wins. Rate rules draw from one seeded Random under a lock, so a given sequence of
/// calls always meets the same faults.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<FaultRule> rules = [];
    private readonly SimulatorMetrics metrics;
    private readonly int seed;
    private Random random;
    private int nextId;

    public FaultInjector(IOptions<FaultOptions> options, SimulatorMetrics metrics)
    {
        this.metrics = metrics;
        seed = options.Value.Seed;
        random = new Random(seed);
        foreach (var definition in options.Value.Rules)
        {
            // Validated at start by FaultOptionsValidator.
            if (FaultRuleSpec.TryCreate(definition, out var spec, out _))
            {
                Add(spec);
            }
        }
    }

    public FaultRuleView Add(FaultRuleSpec spec)
    {
        lock (gate)
        {
            var rule = new FaultRule(++nextId, spec);
            rules.Add(rule);
            return rule.View();
        }
    }

    public IReadOnlyList<FaultRuleView> List()
    {
        lock (gate)
        {
            return [.. rules.Select(rule => rule.View())];
        }
    }

    /// <summary>Removes every rule and restarts the draws, so what follows is reproducible again.</summary>
    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
            random = new Random(seed);
        }
    }

    /// <summary>The fault this call meets, if any; counts it as fired.</summary>
    public FaultRuleSpec? NextFault(string endpoint)
    {
        FaultRuleSpec? fired = null;
        lock (gate)
        {
            foreach (var rule in rules)
            {
                if (rule.Spec.AppliesTo(endpoint) && rule.TryFire(random))
                {
                    fired = rule.Spec;
                    break;
                }
            }
        }
        if (fired is not null)
        {
            metrics.RecordFault(FaultKindNames.NameOf(fired.Kind), endpoint);
        }
        return fired;
    }

    private sealed class FaultRule(int id, FaultRuleSpec spec)
    {
        private int? remaining = spec.Count;
        private long fired;

        public FaultRuleSpec Spec { get; } = spec;

        public bool TryFire(Random random)
        {
            var hit = remaining is { } left ? left > 0 : random.NextDouble() < Spec.Rate;
            if (hit)
            {
                remaining--;
                fired++;
            }
            return hit;
        }

        public FaultRuleView View() => new(
            id, FaultKindNames.NameOf(Spec.Kind), Spec.Rate, Spec.Count, remaining, Spec.LatencyMs,
            Spec.RetryAfterSeconds, Spec.StatusCode, Spec.Paths, fired);
    }
}

/// <summary>A rule as GET /admin/faults shows it, with how often it fired.</summary>
internal sealed record FaultRuleView(
    int Id,
    string Kind,
    double? Rate,
    int? Count,
    int? Remaining,
    int LatencyMs,
    int RetryAfterSeconds,
    int StatusCode,
    IReadOnlyList<string> Paths,
    long Fired);
