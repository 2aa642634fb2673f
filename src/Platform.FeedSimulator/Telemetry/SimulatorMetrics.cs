using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Platform.FeedSimulator.Telemetry;

/// <summary>
/// Counts supplier requests and injected faults, both as OpenTelemetry counters and as tallies
/// that /admin/stats can show without a metrics backend.
/// </summary>
internal sealed class SimulatorMetrics
{
    public const string MeterName = "Platform.FeedSimulator";

    private readonly Counter<long> requests;
    private readonly Counter<long> faults;
    private readonly ConcurrentDictionary<(string Endpoint, string Outcome), long> requestTally = new();
    private readonly ConcurrentDictionary<(string Kind, string Endpoint), long> faultTally = new();

    public SimulatorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        requests = meter.CreateCounter<long>("feedsim.requests", "{request}", "Supplier API requests by endpoint and outcome.");
        faults = meter.CreateCounter<long>("feedsim.faults", "{fault}", "Faults injected into supplier API requests.");
    }

    public void RecordRequest(string endpoint, string outcome)
    {
        requests.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));
        requestTally.AddOrUpdate((endpoint, outcome), 1, (_, count) => count + 1);
    }

    public void RecordFault(string kind, string endpoint)
    {
        faults.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("endpoint", endpoint));
        faultTally.AddOrUpdate((kind, endpoint), 1, (_, count) => count + 1);
    }

    public SimulatorStats Snapshot() => new(
        Requests: Nest(requestTally.Select(entry => (entry.Key.Endpoint, entry.Key.Outcome, entry.Value))),
        FaultsInjected: Nest(faultTally.Select(entry => (entry.Key.Kind, entry.Key.Endpoint, entry.Value))),
        TotalRequests: requestTally.Values.Sum(),
        TotalFaults: faultTally.Values.Sum());

    public void Clear()
    {
        requestTally.Clear();
        faultTally.Clear();
    }

    /// <summary>Outcome names by status code, so dashboards group by meaning rather than number.</summary>
    public static string OutcomeOf(int status) => status switch
    {
        >= 200 and < 300 => "ok",
        400 => "invalid",
        401 => "unauthorized",
        404 => "not_found",
        409 => "conflict",
        429 => "rate_limited",
        499 => "aborted",
        504 => "timeout",
        >= 500 => "server_error",
        _ => "client_error",
    };

    private static Dictionary<string, Dictionary<string, long>> Nest(IEnumerable<(string Outer, string Inner, long Count)> rows) =>
        rows.OrderBy(row => row.Outer, StringComparer.Ordinal)
            .ThenBy(row => row.Inner, StringComparer.Ordinal)
            .GroupBy(row => row.Outer, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.ToDictionary(row => row.Inner, row => row.Count, StringComparer.Ordinal), StringComparer.Ordinal);
}

internal sealed record SimulatorStats(
    Dictionary<string, Dictionary<string, long>> Requests,
    Dictionary<string, Dictionary<string, long>> FaultsInjected,
    long TotalRequests,
    long TotalFaults);
