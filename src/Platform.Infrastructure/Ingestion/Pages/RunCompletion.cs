using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Ingestion.Pages;

/// <summary>What follows a partition's last page: when every partition of the run is completed, its consolidation.</summary>
public static class RunCompletion
{
    /// <summary>
    /// Enqueues the run's consolidation, in the caller's transaction, when the partitions the transaction has just
    /// completed or failed were the run's last; returns the run's partition counts. The run row lock serialises
    /// partition completions of one run, so the last one sees all the others committed and exactly one of them
    /// enqueues consolidation.
    /// </summary>
    public static async Task<PartitionCounts> EnqueueConsolidationIfLastAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IMessagePublisher publisher, Guid orgId, Guid runId, CancellationToken cancellationToken)
    {
        var run = await RunStore.FindAsync(connection, transaction, orgId, runId, RunLock.Update, cancellationToken);
        var counts = await RunStore.CountPartitionsAsync(connection, transaction, runId, cancellationToken);
        if (run is { Phase: "running" } && counts.AllCompleted)
        {
            var consolidate = new ConsolidateMessage(runId, orgId, Force: false, Step: 0);
            await publisher.PublishAsync(transaction,
                [new OutgoingMessage(QueueNames.IngestConsolidate, consolidate.MessageId, PipelineJson.Serialize(consolidate))], cancellationToken);
        }
        return counts;
    }
}
