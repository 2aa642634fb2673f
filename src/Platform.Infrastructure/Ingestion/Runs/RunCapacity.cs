using System.Diagnostics;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Ingestion.Runs;

/// <summary>An organization's run slots at one moment: what its limits allow and what its runs hold.</summary>
public sealed record RunCapacityUsage(int Running, int Queued, int RunningCapacity, int QueuedCapacity)
{
    public int FreeRunningSlots => Math.Max(0, RunningCapacity - Running);

    public bool CanStart => Running < RunningCapacity;

    public bool CanQueue => Queued < QueuedCapacity;
}

/// <summary>
/// Run capacity per organization (ADR 0024). A slot is a run row: running slots are runs in <c>scanning</c>,
/// <c>running</c> or <c>consolidating</c>, queued slots are runs in <c>queued</c>. Every decision about slots is taken
/// under the organization row's <c>FOR NO KEY UPDATE</c> lock in the caller's transaction, so deciding and acting
/// (insert, promotion and its scan message, ending a run) commit together: a crash cannot leak or double-start a slot.
/// <c>NO KEY UPDATE</c> rather than <c>UPDATE</c> so that foreign-key checks (<c>FOR KEY SHARE</c>) of rows that reference
/// the organization never wait for it, and two finishing runs cannot deadlock on it.
/// </summary>
public static class RunCapacity
{
    /// <summary>Phases that hold a running slot (the partial unique index counts <c>queued</c> as active too).</summary>
    public const string RunningPhases = "('scanning', 'running', 'consolidating')";

    /// <summary>
    /// Locks the organization row and counts its runs. The counts are a separate statement on purpose: in READ COMMITTED
    /// each statement takes a new snapshot, so they see every run committed by whoever held the lock before.
    /// Null when the organization does not exist.
    /// </summary>
    public static async Task<RunCapacityUsage?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, CancellationToken cancellationToken)
    {
        var capacity = await connection.QuerySingleOrDefaultAsync<Limits>(new CommandDefinition("""
            SELECT COALESCE(o.running_capacity_override, p.running_capacity) AS "RunningCapacity",
                   COALESCE(o.queued_capacity_override, p.queued_capacity) AS "QueuedCapacity"
            FROM organizations o JOIN plans p ON p.code = o.plan
            WHERE o.id = @orgId
            FOR NO KEY UPDATE OF o
            """, new { orgId }, transaction, cancellationToken: cancellationToken));
        if (capacity is null)
        {
            return null;
        }
        var (running, queued) = await connection.QuerySingleAsync<(int Running, int Queued)>(new CommandDefinition($"""
            SELECT count(*) FILTER (WHERE phase IN {RunningPhases})::int, count(*) FILTER (WHERE phase = 'queued')::int
            FROM pipeline_runs WHERE org_id = @orgId AND phase IN ('queued', 'scanning', 'running', 'consolidating')
            """, new { orgId }, transaction, cancellationToken: cancellationToken));
        return new RunCapacityUsage(running, queued, capacity.RunningCapacity, capacity.QueuedCapacity);
    }

    /// <summary>
    /// Fills the organization's free running slots with its oldest queued runs, each moved to <c>scanning</c> with its scan
    /// message enqueued in the caller's transaction. Called in the transaction that ends a run (so the slot it frees is
    /// taken over exactly once), by the trigger before it decides, and by maintenance as a safety net. Queued runs locked
    /// by someone else (being cancelled) are skipped rather than waited for. Returns the usage after promotion.
    /// </summary>
    public static async Task<RunCapacityUsage?> StartQueuedRunsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IMessagePublisher publisher, Guid orgId, CancellationToken cancellationToken)
    {
        var usage = await LockAsync(connection, transaction, orgId, cancellationToken);
        if (usage is null || usage.Queued == 0 || usage.FreeRunningSlots == 0)
        {
            return usage;
        }
        // The locked LIMIT runs once, as a CTE: joined as a subquery it may be rescanned per outer row, and under the
        // tenant role's RLS (api triggers and cancels, ADR 0029) Postgres picked exactly that plan and promoted every
        // queued run, each rescan skipping the row the previous one had locked.
        var started = (await connection.QueryAsync<(Guid Id, string? TraceId)>(new CommandDefinition("""
            WITH next AS MATERIALIZED (
                SELECT id FROM pipeline_runs WHERE org_id = @orgId AND phase = 'queued'
                ORDER BY created_at, id LIMIT @free FOR UPDATE SKIP LOCKED)
            UPDATE pipeline_runs r SET phase = 'scanning'
            FROM next
            WHERE r.id = next.id
            RETURNING r.id, r.trace_id
            """, new { orgId, free = usage.FreeRunningSlots }, transaction, cancellationToken: cancellationToken))).ToList();
        foreach (var (runId, traceId) in started)
        {
            // The promotion happens in whichever run freed the slot; the scan belongs to the promoted run's own trace.
            using var span = StartInRunTrace(runId, traceId);
            await publisher.PublishAsync(transaction, [ScanOf(runId, orgId)], cancellationToken);
        }
        return usage with { Running = usage.Running + started.Count, Queued = usage.Queued - started.Count };
    }

    /// <summary>
    /// A span in the trace the run was created in (its stored trace id), linked to the current one. Its parent is a
    /// fresh span id that exists nowhere: only the trace id is stored on the run, and that is what groups a run's spans.
    /// </summary>
    private static Activity? StartInRunTrace(Guid runId, string? traceId)
    {
        if (traceId is not { Length: 32 } || !traceId.All(char.IsAsciiHexDigitLower))
        {
            return PipelineTelemetry.Start("start queued run", runId);
        }
        var parent = new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var links = Activity.Current is { } current ? [new ActivityLink(current.Context)] : (ActivityLink[]?)null;
        var span = PipelineTelemetry.Source.StartActivity("start queued run", ActivityKind.Internal, parent, links: links);
        span?.SetTag("platform.run.id", runId.ToString());
        return span;
    }

    /// <summary>The message that turns a run in <c>scanning</c> into work (one per run: its id is the run's).</summary>
    public static OutgoingMessage ScanOf(Guid runId, Guid orgId)
    {
        var scan = new ScanMessage(runId, orgId);
        return new OutgoingMessage(QueueNames.IngestScan, scan.MessageId, PipelineJson.Serialize(scan));
    }

    private sealed class Limits
    {
        public int RunningCapacity { get; init; }
        public int QueuedCapacity { get; init; }
    }
}
