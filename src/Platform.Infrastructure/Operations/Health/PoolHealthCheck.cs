using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Operations.Health;

/// <summary>
/// Saturation of this process's Npgsql pools: connections in use over the pool's maximum, read from Npgsql's own
/// observable instruments (<c>db.client.connection.count</c> by state, <c>db.client.connection.max</c>) through a
/// <see cref="MeterListener"/>, since the data source exposes no counts of its own.
/// </summary>
public sealed class PoolHealthCheck : IHealthCheck, IDisposable
{
    private const string CountInstrument = "db.client.connection.count";
    private const string MaxInstrument = "db.client.connection.max";
    private const string PendingInstrument = "db.client.connection.npgsql.pending_requests";

    private readonly MeterListener _listener = new();
    private readonly IOptionsMonitor<ReadinessOptions> _options;
    private readonly Lock _gate = new();
    // One list per pool name: several data sources may share a name (each test host names its pool "platformdb"), and
    // Npgsql reports them in the same order for every instrument, so the n-th measurement of a name is the n-th pool.
    private Dictionary<string, List<PoolFigures>> _pools = [];
    private Dictionary<(string Instrument, string? State, string Pool), int> _seen = [];

    public PoolHealthCheck(IOptionsMonitor<ReadinessOptions> options)
    {
        _options = options;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is CountInstrument or MaxInstrument or PendingInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Observe(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Observe(instrument.Name, value, tags));
        _listener.Start();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Dictionary<string, PoolFigures> pools;
        lock (_gate)
        {
            (_pools, _seen) = ([], []);
            _listener.RecordObservableInstruments();
            // Of pools sharing a name, the fullest speaks for the name.
            pools = _pools.ToDictionary(p => p.Key, p => p.Value.Where(f => f.Max > 0).DefaultIfEmpty().MaxBy(f => f.Max == 0 ? 0 : (double)f.Used / f.Max));
        }
        var settings = _options.CurrentValue;
        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var (name, pool) in pools.Where(p => p.Value.Max > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var percent = 100.0 * pool.Used / pool.Max;
            var poolStatus = Threshold.Of(percent, settings.PoolDegradedPercent, settings.PoolUnhealthyPercent);
            status = Threshold.Worst(status, poolStatus);
            if (poolStatus != HealthStatus.Healthy)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"pool {name}: {pool.Used} of {pool.Max} connections in use ({percent:0} %), {pool.Pending} waiting"));
            }
            data[name] = new { used = pool.Used, idle = pool.Idle, max = pool.Max, pending = pool.Pending, percent = Math.Round(percent, 1) };
        }
        return Task.FromResult(new HealthCheckResult(status, reasons.Count > 0 ? string.Join("; ", reasons) : null, data: data));
    }

    private void Observe(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null;
        string? state = null;
        foreach (var (key, tag) in tags)
        {
            if (key == "db.client.connection.pool.name")
            {
                pool = tag?.ToString();
            }
            else if (key == "db.client.connection.state")
            {
                state = tag?.ToString();
            }
        }
        // Pool names are connection strings without passwords unless the data source is named: keep them out of the
        // report beyond a short label.
        var label = Label(pool);
        var slot = (instrument, instrument == CountInstrument ? state : null, label);
        var index = _seen.GetValueOrDefault(slot);
        _seen[slot] = index + 1;
        if (!_pools.TryGetValue(label, out var list))
        {
            _pools[label] = list = [];
        }
        while (list.Count <= index)
        {
            list.Add(default);
        }
        var figures = list[index];
        list[index] = instrument switch
        {
            MaxInstrument => figures with { Max = value },
            PendingInstrument => figures with { Pending = value },
            _ when state == "used" => figures with { Used = value },
            _ => figures with { Idle = value },
        };
    }

    private static string Label(string? pool) =>
        string.IsNullOrEmpty(pool) ? "default" : pool.Contains('=', StringComparison.Ordinal) ? "unnamed" : pool;

    public void Dispose() => _listener.Dispose();

    private readonly record struct PoolFigures(long Used, long Idle, long Max, long Pending);
}
