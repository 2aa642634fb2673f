using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging.Postgres;
using Platform.Infrastructure.Messaging.ServiceBus;

namespace Platform.Infrastructure.Messaging.Outbox;

/// <summary>
/// The dispatcher role: relays <c>outbox_messages</c> to Service Bus. Each round claims the oldest due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> (so several dispatchers share the work), sends them per queue in batch calls, and
/// deletes them in the same transaction that holds their locks; a failed send pushes the rows back with a backoff
/// and the error, never drops them. A crash after the send and before the commit sends them again: the broker's
/// duplicate detection (message id) and idempotent handlers make that harmless. With the Postgres transport there
/// is nothing to relay (the enqueue joins the caller's transaction) and the role idles.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource, IServiceProvider services, QueueWakeups wakeups, IOptions<MessagingOptions> messaging,
    IOptions<OutboxOptions> options, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PendingRefresh = TimeSpan.FromSeconds(5);
    private long _pending;
    private long _pendingCheckedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!messaging.Value.UsesServiceBus)
        {
            LogIdle(messaging.Value.Transport);
            return;
        }
        var client = services.GetRequiredService<ServiceBusRestClient>();
        var sweep = services.GetRequiredService<BrokerDeadLetterSweep>();
        var queues = new[] { QueueNames.IngestPage, QueueNames.IngestConsolidate, QueueNames.IngestScan }.Union(messaging.Value.Queues.Keys).ToList();
        OutboxTelemetry.Observe(() => Volatile.Read(ref _pending));
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        // The sweep long-polls each dead-letter queue: on its own loop, so it never holds up the relay.
        var sweeping = SweepLoopAsync(sweep, queues, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            int relayed;
            try
            {
                relayed = await RelayOnceAsync(client, stoppingToken);
                await RefreshPendingAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The database is away: nothing was lost (the rows are still there); try again shortly.
                LogDatabaseFailed(e);
                relayed = 0;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            if (relayed < options.Value.BatchSize)
            {
                // Caught up: wait for a commit's NOTIFY or the poll (which also picks up rows whose backoff ended).
                await wakeups.WaitAsync(OutboxPublisher.WakeupKey, poll, stoppingToken);
            }
        }
        await sweeping;
    }

    private async Task SweepLoopAsync(BrokerDeadLetterSweep sweep, IReadOnlyList<string> queues, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.DeadLetterSweepSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(sweep, queues, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SweepAsync(BrokerDeadLetterSweep sweep, IReadOnlyList<string> queues, CancellationToken stoppingToken)
    {
        try
        {
            var moved = await sweep.SweepAsync(queues, stoppingToken);
            if (moved > 0)
            {
                LogSwept(moved);
            }
        }
        catch (Exception e) when (MessagingTransportException.IsTransient(e))
        {
            // The broker keeps them: the next sweep tries again.
            LogSweepFailed(e);
        }
    }

    /// <summary>One round: returns how many rows it claimed (sent or pushed back).</summary>
    public async Task<int> RelayOnceAsync(ServiceBusRestClient client, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition("""
            SELECT id, queue, message_id, body, headers::text AS headers, visible_at, created_at, send_attempts
            FROM outbox_messages
            WHERE next_attempt_at <= now()
            ORDER BY id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """, new { limit = options.Value.BatchSize }, transaction, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return 0;
        }
        var sent = new List<long>(rows.Count);
        foreach (var queue in rows.GroupBy(r => r.Queue))
        {
            try
            {
                // Not cancelled by stopping: a half-sent batch is resent anyway, but a finished one should be marked.
                await client.SendAsync(queue.Key, [.. queue.Select(ToBrokerMessage)], CancellationToken.None);
                sent.AddRange(queue.Select(r => r.Id));
            }
            catch (MessagingTransportException e)
            {
                var failed = queue.ToList();
                LogSendFailed(e, queue.Key, failed.Count);
                await DeferAsync(connection, transaction, failed, e.Message, cancellationToken);
            }
        }
        if (sent.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM outbox_messages WHERE id = ANY(@sent)",
                new { sent = sent.ToArray() }, transaction, cancellationToken: CancellationToken.None));
        }
        await transaction.CommitAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        foreach (var row in rows.Where(r => sent.Contains(r.Id)))
        {
            // Lag from the commit that wrote the row to the broker's acceptance (a scheduled message counts from then).
            OutboxTelemetry.RelayLag.Record(Math.Max(0, (now - row.CreatedAt).TotalSeconds), MessagingTelemetry.Queue(row.Queue));
        }
        OutboxTelemetry.Relayed.Add(sent.Count);
        return rows.Count;
    }

    private async Task DeferAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<OutboxRow> rows, string error, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var delays = rows.Select(r =>
        {
            var exponential = Math.Min(o.RetryBaseSeconds * Math.Pow(2, r.SendAttempts), o.RetryMaxSeconds);
            return (exponential / 2) + (Random.Shared.NextDouble() * exponential / 2);
        }).ToArray();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE outbox_messages o SET send_attempts = o.send_attempts + 1, last_error = @error,
                   next_attempt_at = now() + make_interval(secs => d.delay)
            FROM UNNEST(@ids::bigint[], @delays::float8[]) AS d(id, delay)
            WHERE o.id = d.id
            """, new { ids = rows.Select(r => r.Id).ToArray(), delays, error = error.Length <= 1000 ? error : error[..1000] },
            transaction, cancellationToken: cancellationToken));
    }

    private async Task RefreshPendingAsync(CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _pendingCheckedAt)) < PendingRefresh && _pendingCheckedAt != 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Volatile.Write(ref _pending, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM outbox_messages", cancellationToken: cancellationToken)));
        Volatile.Write(ref _pendingCheckedAt, Stopwatch.GetTimestamp());
    }

    private static BrokerMessage ToBrokerMessage(OutboxRow row) =>
        new(row.MessageId, row.Body, row.VisibleAt, JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers) ?? []);

    private sealed class OutboxRow
    {
        public long Id { get; init; }
        public string Queue { get; init; } = "";
        public string MessageId { get; init; } = "";
        public string Body { get; init; } = "";
        public string Headers { get; init; } = "{}";
        public DateTimeOffset? VisibleAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public int SendAttempts { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher idle: transport {Transport} needs no relay")]
    private partial void LogIdle(string transport);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying {Count} outbox messages to {Queue} failed; they are retried after a backoff")]
    private partial void LogSendFailed(Exception exception, string queue, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moved {Count} broker dead letters into dead_letters")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping the broker's dead-letter queues failed; retrying at the next sweep")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not reach the database; retrying")]
    private partial void LogDatabaseFailed(Exception exception);
}

/// <summary>Metrics of the outbox relay.</summary>
public static class OutboxTelemetry
{
    private static readonly Meter Meter = new(MessagingTelemetry.Name);
    private static Func<long>? _pending;

    public static readonly Histogram<double> RelayLag = Meter.CreateHistogram<double>(
        "platform.outbox.relay_lag", "s", "Time from an outbox row's commit to the broker accepting it.");

    public static readonly Counter<long> Relayed = Meter.CreateCounter<long>(
        "platform.outbox.relayed", "{message}", "Outbox messages sent to the broker and deleted.");

    static OutboxTelemetry()
    {
        Meter.CreateObservableGauge("platform.outbox.pending", () => _pending?.Invoke() ?? 0L, "{message}", "Outbox rows not yet relayed (refreshed every few seconds).");
    }

    internal static void Observe(Func<long> pending) => _pending = pending;
}
