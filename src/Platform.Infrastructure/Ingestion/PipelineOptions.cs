namespace Platform.Infrastructure.Ingestion;

/// <summary>Section <c>Pipeline</c> (PLATFORM §5, §11).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Incremental runs start this long before the watermark, to catch records updated around the last run's cut-off.</summary>
    public int IncrementalOverlapMinutes { get; set; } = 15;

    /// <summary>Stones claimed per consolidation step: whole queued pages, as many as fit at the feed's page size, at least one.</summary>
    public int ConsolidationBatchSize { get; set; } = 2_000;

    /// <summary>
    /// Catalog rows per upsert statement. As large as a step's batch by default: fewer, larger statements cost less per
    /// stone (docs/performance.md).
    /// </summary>
    public int UpsertChunkSize { get; set; } = 2_000;

    /// <summary>
    /// Chains of consolidation steps that work on one run at once, each claiming its own rows (ADR 0014). More chains
    /// use more cores and connections; the consolidate queue's concurrency over all workers caps how many really run.
    /// </summary>
    public int ConsolidationChains { get; set; } = 2;

    /// <summary>
    /// Most pages written in one transaction (ADR 0041). Pages that are ready while a write is open go together into the
    /// next one: one compare-and-set, one raw upsert per run and one commit instead of one each per page. 1 writes every
    /// page alone.
    /// </summary>
    public int PageWriteBatch { get; set; } = 8;

    /// <summary>Page-writing transactions one worker runs at once; each takes the pages that are ready when it starts.</summary>
    public int PageWriters { get; set; } = 2;

    /// <summary>Page attempts before a partition is marked failed.</summary>
    public int MaxPartitionAttempts { get; set; } = 5;

    /// <summary>First delay of a failed page; doubles per attempt up to <see cref="PartitionRetryMaxSeconds"/>.</summary>
    public int PartitionRetryBaseSeconds { get; set; } = 30;

    public int PartitionRetryMaxSeconds { get; set; } = 900;

    /// <summary>A partition without progress for this long is re-enqueued by the maintenance role.</summary>
    public int StalledPartitionMinutes { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (IncrementalOverlapMinutes is < 0 or > 1440) yield return $"{SectionName}:IncrementalOverlapMinutes must be between 0 and 1440.";
        if (ConsolidationBatchSize is < 1 or > 50_000) yield return $"{SectionName}:ConsolidationBatchSize must be between 1 and 50000.";
        if (UpsertChunkSize is < 1 or > 10_000) yield return $"{SectionName}:UpsertChunkSize must be between 1 and 10000.";
        if (ConsolidationChains is < 1 or > 32) yield return $"{SectionName}:ConsolidationChains must be between 1 and 32.";
        if (PageWriteBatch is < 1 or > 64) yield return $"{SectionName}:PageWriteBatch must be between 1 and 64.";
        if (PageWriters is < 1 or > 32) yield return $"{SectionName}:PageWriters must be between 1 and 32.";
        if (MaxPartitionAttempts is < 1 or > 100) yield return $"{SectionName}:MaxPartitionAttempts must be between 1 and 100.";
        if (PartitionRetryBaseSeconds is < 1 or > 3600) yield return $"{SectionName}:PartitionRetryBaseSeconds must be between 1 and 3600.";
        if (PartitionRetryMaxSeconds < PartitionRetryBaseSeconds || PartitionRetryMaxSeconds > 86_400) yield return $"{SectionName}:PartitionRetryMaxSeconds must be between PartitionRetryBaseSeconds and 86400.";
        if (StalledPartitionMinutes is < 1 or > 1440) yield return $"{SectionName}:StalledPartitionMinutes must be between 1 and 1440.";
    }
}
