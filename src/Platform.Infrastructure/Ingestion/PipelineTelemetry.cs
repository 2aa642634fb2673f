using System.Diagnostics.Metrics;

namespace Platform.Infrastructure.Ingestion;

/// <summary>Metrics of the pipeline (meter <c>Platform.Pipeline</c>).</summary>
public static class PipelineTelemetry
{
    public const string Name = "Platform.Pipeline";
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ItemsFetched = Meter.CreateCounter<long>("platform.pipeline.items.fetched", "{item}", "Supplier rows fetched by page handlers.");
    public static readonly Counter<long> PagesProcessed = Meter.CreateCounter<long>("platform.pipeline.pages.processed", "{page}", "Pages fetched and committed.");
    public static readonly Counter<long> PagesFailed = Meter.CreateCounter<long>("platform.pipeline.pages.failed", "{page}", "Page fetches that failed and were rescheduled or failed their partition.");
    public static readonly Counter<long> ItemsConsolidated = Meter.CreateCounter<long>("platform.pipeline.items.consolidated", "{item}", "Raw rows consolidated into the catalog, by outcome.");
}
