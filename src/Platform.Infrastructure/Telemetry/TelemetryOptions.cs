using System.ComponentModel.DataAnnotations;

namespace Platform.Infrastructure.Telemetry;

/// <summary>Section <c>Telemetry</c>: how the database-wide gauges are sampled (docs/observability.md).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// How often a process reads queue depths, oldest ages, dead letters and active runs from Postgres for its gauges.
    /// Scrapes read the last sample, so a scrape never queries the database and a busy scraper costs nothing.
    /// </summary>
    [Range(1, 3600)]
    public int GaugeRefreshSeconds { get; set; } = 15;
}
