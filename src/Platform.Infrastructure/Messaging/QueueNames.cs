namespace Platform.Infrastructure.Messaging;

/// <summary>The pipeline's queues.</summary>
public static class QueueNames
{
    /// <summary>One page of one partition per message.</summary>
    public const string IngestPage = "ingest.page";

    /// <summary>One consolidation step of a run per message.</summary>
    public const string IngestConsolidate = "ingest.consolidate";

    /// <summary>The heatmap scan of a new run: partitions and first pages.</summary>
    public const string IngestScan = "ingest.scan";
}
