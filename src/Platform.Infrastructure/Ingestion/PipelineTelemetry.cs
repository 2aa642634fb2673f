using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.Infrastructure.Ingestion;

/// <summary>
/// Meter and ActivitySource <c>Platform.Pipeline</c>: what runs did (items, pages, consolidation) and spans for the
/// heavy steps of a run (heatmap scan, raw upsert, claim, catalog upsert) with their item counts. Run, feed and
/// organization ids go on spans only, never on metrics (bounded label cardinality, docs/observability.md).
/// </summary>
public static class PipelineTelemetry
{
    public const string Name = "Platform.Pipeline";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ItemsIngested = Meter.CreateCounter<long>(
        "platform.pipeline.items.ingested", "{item}", "Supplier rows fetched by page handlers and committed to raw storage.");

    public static readonly Counter<long> PagesProcessed = Meter.CreateCounter<long>(
        "platform.pipeline.pages.processed", "{page}", "Pages fetched and committed.");

    /// <summary><c>reason</c>: duplicate (offset no longer next), inactive (run or partition finished, failed or gone).</summary>
    public static readonly Counter<long> PagesSkipped = Meter.CreateCounter<long>(
        "platform.pipeline.pages.skipped", "{page}", "Page messages acknowledged without any change, by reason.");

    /// <summary><c>outcome</c>: retried (rescheduled with backoff), partition_failed (attempts used up).</summary>
    public static readonly Counter<long> PagesFailed = Meter.CreateCounter<long>(
        "platform.pipeline.pages.failed", "{page}", "Page fetches that failed, by what happened next.");

    public static readonly Histogram<long> PagesPerWrite = Meter.CreateHistogram<long>(
        "platform.pipeline.page_write.pages", "{page}", "Pages written together in one transaction (Pipeline:PageWriteBatch caps it).");

    /// <summary><c>outcome</c>: done (in the catalog), failed (could not be mapped; kept in the backlog).</summary>
    public static readonly Counter<long> ItemsConsolidated = Meter.CreateCounter<long>(
        "platform.pipeline.items.consolidated", "{item}", "Raw rows consolidated into the catalog, by outcome.");

    public static readonly Histogram<double> ConsolidationStepDuration = Meter.CreateHistogram<double>(
        "platform.pipeline.consolidation.step.duration", "s", "Duration of one consolidation step (claim, map, price, upsert, commit).");

    /// <summary><c>run_type</c>: full, incremental; <c>status</c>: completed, failed.</summary>
    public static readonly Counter<long> RunsFinished = Meter.CreateCounter<long>(
        "platform.pipeline.runs.finished", "{run}", "Runs that reached a final status, by run type and status.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "platform.pipeline.run.duration", "s", "Time from a run's creation to its completion, by run type.");

    public static readonly Histogram<long> HeatmapApiCalls = Meter.CreateHistogram<long>(
        "platform.pipeline.heatmap.api_calls", "{call}", "Upstream count calls one heatmap scan needed, by run type.");

    public static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    /// <summary>A span for one step of a run, tagged with the run (spans may carry ids; metrics may not).</summary>
    public static Activity? Start(string name, Guid runId)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag("platform.run.id", runId.ToString());
        return activity;
    }
}
