using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>One measurement of a <c>Platform.Upstream</c> instrument, with its tags.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value?.ToString() : null;
}

/// <summary>
/// Listens to the <c>Platform.Upstream</c> meter of one test's container (meters from its own IMeterFactory, so
/// parallel tests do not mix) and to the upstream spans of one feed.
/// </summary>
public sealed class UpstreamRecorder : IDisposable
{
    private readonly MeterListener meters = new();
    private readonly ActivityListener spans;
    private readonly ConcurrentQueue<Measured> measurements = new();
    private readonly ConcurrentQueue<Activity> activities = new();

    public UpstreamRecorder(IServiceProvider services, Guid feedId)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == UpstreamTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        meters.Start();
        spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == UpstreamTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("platform.feed.id") is Guid id && id == feedId)
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(spans);
    }

    public IReadOnlyList<Measured> Of(string instrument) => [.. measurements.Where(m => m.Instrument == instrument)];

    public IReadOnlyList<Activity> Spans => [.. activities];

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        measurements.Enqueue(new Measured(instrument.Name, value, copy));
    }

    public void Dispose()
    {
        meters.Dispose();
        spans.Dispose();
    }
}
