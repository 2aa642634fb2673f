using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.GraphQl;
using Platform.Api.RateLimiting;
using Platform.Infrastructure.Catalog.Caching;
using Platform.Infrastructure.Catalog.Reservations;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Outbox;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Operations.Health;
using Platform.Infrastructure.Operations.Queues;
using Platform.Infrastructure.Telemetry;

namespace Platform.IntegrationTests.Telemetry;

/// <summary>The metrics table of docs/observability.md and the instruments in code agree: names, units, no id labels.</summary>
public sealed partial class MetricsCatalogueTests
{
    [Fact]
    public void Every_platform_instrument_is_documented_with_its_unit_and_every_documented_one_exists()
    {
        var inCode = PlatformInstruments();
        var documented = DocumentedMetrics();

        inCode.Keys.Order().ShouldBe(documented.Keys.Order(), "docs/observability.md ## Metrics vs. the Platform.* meters");
        foreach (var (name, unit) in inCode)
        {
            documented[name].Unit.ShouldBe(unit, $"unit of {name}");
        }
    }

    [Fact]
    public void No_documented_label_identifies_an_entity()
    {
        foreach (var (name, metric) in DocumentedMetrics())
        {
            metric.Labels.ShouldNotContain(label => MetricLabels.IsForbidden(label), $"{name} labels: {string.Join(", ", metric.Labels)}");
        }
    }

    [Theory]
    [InlineData("run_id")]
    [InlineData("platform.feed.id")]
    [InlineData("organization_id")]
    [InlineData("message_id")]
    [InlineData("id")]
    public void Id_labels_are_recognised_as_forbidden(string label) => MetricLabels.IsForbidden(label).ShouldBeTrue();

    [Theory]
    [InlineData("queue")]
    [InlineData("outcome")]
    [InlineData("http_route")]
    [InlineData("feed_kind")]
    public void Bounded_labels_are_allowed(string label) => MetricLabels.IsForbidden(label).ShouldBeFalse();

    /// <summary>Instrument name → unit, for every instrument of a <c>Platform.*</c> meter of the api and the worker.</summary>
    private static Dictionary<string, string> PlatformInstruments()
    {
        // Static meters are created with their class; the DI-built ones are constructed here as the hosts do.
        foreach (var type in (Type[])[typeof(MessagingTelemetry), typeof(PipelineTelemetry), typeof(ReservationTelemetry), typeof(CatalogCache),
                     typeof(ErrorTelemetry), typeof(RateLimitTelemetry), typeof(OutboxTelemetry), typeof(ErrorLogWriter), typeof(ValidatedDocumentCache)])
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }
        using var services = new ServiceCollection().AddMetrics().AddOptions().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        _ = new UpstreamTelemetry(meters, new UpstreamCircuitMonitor(TimeProvider.System));
        using var dataSource = NpgsqlDataSource.Create("Host=unused.invalid");
        _ = new OperationalGauges(dataSource, new QueueStatistics(dataSource), meters, Options.Create(new TelemetryOptions()), services.GetRequiredService<IOptionsMonitor<ReadinessOptions>>(),
            TimeProvider.System, NullLogger<OperationalGauges>.Instance);

        var found = new Dictionary<string, string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("Platform.", StringComparison.Ordinal) && instrument.Meter.Name != "Platform.FeedSimulator")
                {
                    lock (found)
                    {
                        found[instrument.Name] = instrument.Unit ?? "";
                    }
                }
            },
        };
        listener.Start();
        return found;
    }

    private sealed record DocumentedMetric(string Unit, IReadOnlyList<string> Labels);

    private static Dictionary<string, DocumentedMetric> DocumentedMetrics()
    {
        var text = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "docs", "observability.md"));
        var start = text.IndexOf("\n## Metrics", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "docs/observability.md has a ## Metrics section");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        var metrics = new Dictionary<string, DocumentedMetric>();
        foreach (Match row in PlatformRow().Matches(section))
        {
            var labels = LabelName().Matches(row.Groups["labels"].Value).Select(m => m.Groups[1].Value).ToList();
            metrics.Add(row.Groups["name"].Value, new DocumentedMetric(row.Groups["unit"].Value, labels));
        }
        metrics.ShouldNotBeEmpty();
        return metrics;
    }

    // | `platform.x.y` | counter | `{item}` | `queue`, `outcome` (a, b) | meaning |
    [GeneratedRegex(@"^\| `(?<name>platform\.[a-z0-9_.]+)` \| [a-z ]+ \| `(?<unit>[^`]*)` \| (?<labels>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex PlatformRow();

    [GeneratedRegex("`([a-z0-9_.]+)`")]
    private static partial Regex LabelName();
}
