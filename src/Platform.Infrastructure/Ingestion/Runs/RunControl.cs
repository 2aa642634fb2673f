using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Ingestion.Runs;

public enum RunControlOutcome { Done, NotFound, Conflict }

public sealed record RunControlResult(RunControlOutcome Outcome, int Affected = 0, string? Reason = null);

/// <summary>
/// Operator actions on a run. Each is one transaction under the run's row lock, and any follow-up message is
/// enqueued in it, so an action either happened completely or not at all.
/// </summary>
public sealed class RunControl(NpgsqlDataSource dataSource, IMessagePublisher publisher)
{
    /// <summary>Clears the failed flag of the run's failed partitions and enqueues each from its <c>next_offset</c> (nothing fetched is fetched again).</summary>
    public Task<RunControlResult> RetryFailedPartitionsAsync(Guid orgId, Guid runId, CancellationToken cancellationToken) =>
        InRunAsync(orgId, runId, async (connection, transaction, run) =>
        {
            if (run.Phase != "running")
            {
                return new RunControlResult(RunControlOutcome.Conflict, Reason: $"The run is {run.Phase}; only a running run has partitions to retry.");
            }
            var retried = (await connection.QueryAsync<(string PartitionId, decimal MinPrice, decimal MaxPrice, int NextOffset)>(new CommandDefinition("""
                UPDATE run_partitions SET failed = false, attempts = 0, next_retry_at = NULL, last_error = NULL, updated_at = now()
                WHERE run_id = @runId AND failed
                RETURNING partition_id, min_price, max_price, next_offset
                """, new { runId }, transaction, cancellationToken: cancellationToken))).ToList();
            var limit = run.PageLimit ?? 30;
            var pages = retried.Select(p => new PageMessage(run.Id, orgId, run.FeedId, p.PartitionId, p.MinPrice, p.MaxPrice, run.UpdatedFrom, run.UpdatedTo, p.NextOffset, limit))
                .Select(page => new OutgoingMessage(QueueNames.IngestPage, $"{page.MessageId}:manual:{Guid.NewGuid():N}", PipelineJson.Serialize(page)))
                .ToList();
            await publisher.PublishAsync(transaction, pages, cancellationToken);
            return new RunControlResult(RunControlOutcome.Done, retried.Count);
        }, cancellationToken);

    /// <summary>
    /// Starts (or resumes) consolidation. Without <paramref name="force"/> every partition must be completed; with it,
    /// failed partitions are accepted (their stones are not soft-deleted, since they were not seen).
    /// </summary>
    public Task<RunControlResult> ConsolidateAsync(Guid orgId, Guid runId, bool force, CancellationToken cancellationToken) =>
        InRunAsync(orgId, runId, async (connection, transaction, run) =>
        {
            if (run.Phase is not ("running" or "consolidating"))
            {
                return new RunControlResult(RunControlOutcome.Conflict, Reason: $"The run is {run.Phase}.");
            }
            var counts = await RunStore.CountPartitionsAsync(connection, transaction, run.Id, cancellationToken);
            if (run.Phase == "running" && !(counts.AllCompleted || (force && counts.AllSettled)))
            {
                var reason = counts.AllSettled
                    ? $"{counts.Failed} partitions failed: retry them, or consolidate with force."
                    : $"{counts.Total - counts.Completed - counts.Failed} partitions are still ingesting.";
                return new RunControlResult(RunControlOutcome.Conflict, Reason: reason);
            }
            var message = new ConsolidateMessage(run.Id, orgId, force, Step: 0);
            await publisher.PublishAsync(transaction,
                [new OutgoingMessage(QueueNames.IngestConsolidate, $"consolidate:{run.Id}:manual:{Guid.NewGuid():N}", PipelineJson.Serialize(message))], cancellationToken);
            return new RunControlResult(RunControlOutcome.Done);
        }, cancellationToken);

    /// <summary>Cancels an active (or queued) run: queued pages and steps are then skipped by their handlers.</summary>
    public Task<RunControlResult> CancelAsync(Guid orgId, Guid runId, CancellationToken cancellationToken) =>
        InRunAsync(orgId, runId, async (connection, transaction, run) =>
        {
            if (run.Phase is "completed" or "failed" or "cancelled")
            {
                return new RunControlResult(RunControlOutcome.Conflict, Reason: $"The run is already {run.Phase}.");
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE pipeline_runs SET phase = 'cancelled', completed_at = now() WHERE id = @Id", new { run.Id }, transaction, cancellationToken: cancellationToken));
            // A cancelled running run hands its slot to the oldest queued run in the same commit (ADR 0024).
            await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, orgId, cancellationToken);
            return new RunControlResult(RunControlOutcome.Done);
        }, cancellationToken);

    private async Task<RunControlResult> InRunAsync(
        Guid orgId, Guid runId, Func<NpgsqlConnection, NpgsqlTransaction, RunRecord, Task<RunControlResult>> action, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var run = await RunStore.FindAsync(connection, transaction, orgId, runId, RunLock.Update, cancellationToken);
        if (run is null)
        {
            return new RunControlResult(RunControlOutcome.NotFound);
        }
        var result = await action(connection, transaction, run);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
