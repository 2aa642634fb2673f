using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging.Postgres;

namespace Platform.Infrastructure.Messaging;

/// <summary>
/// Consumes one queue: claims as many messages as it has free handler slots, runs each handler in its own
/// DI scope and span, and settles the message only after the handler returned (its effects are committed
/// by then). Stopping stops claiming, lets in-flight handlers finish within the grace period and releases
/// the rest, so nothing waits for a lease to expire after a clean shutdown.
/// </summary>
public sealed partial class QueueConsumer<THandler>(
    string queue, IServiceScopeFactory scopes, PostgresQueueStore store, QueueWakeups wakeups,
    IOptions<MessagingOptions> options, ILogger<QueueConsumer<THandler>> logger)
    : BackgroundService where THandler : IMessageHandler
{
    private readonly QueueOptions _queue = options.Value.For(queue);
    private readonly string _consumerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private readonly Random _jitter = new();
    private readonly CancellationTokenSource _handlersStop = new();

    public string Queue => queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(_queue.Concurrency, _queue.Concurrency);
        var inFlight = new HashSet<Task>();
        var poll = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < _queue.BatchSize && slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }
                var claimed = await ClaimAsync(free, stoppingToken);
                if (free > claimed.Count)
                {
                    slots.Release(free - claimed.Count);
                }
                if (claimed.Count == 0)
                {
                    await wakeups.WaitAsync(queue, poll, stoppingToken);
                    continue;
                }
                foreach (var message in claimed)
                {
                    MessagingTelemetry.PickupDelay.Record(message.PickupDelay.TotalSeconds, MessagingTelemetry.Queue(queue));
                    // The consuming process's own limit decides, whatever the publisher's configuration said.
                    var received = message.Message with { MaxAttempts = _queue.MaxAttempts };
                    var task = ProcessAsync(received).ContinueWith(_ => slots.Release(), TaskScheduler.Default);
                    lock (inFlight)
                    {
                        inFlight.Add(task);
                    }
                    _ = task.ContinueWith(t => { lock (inFlight) { inFlight.Remove(t); } }, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Graceful stop below.
        }

        Task[] pending;
        lock (inFlight)
        {
            pending = [.. inFlight];
        }
        var grace = Task.Delay(TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds), CancellationToken.None);
        if (await Task.WhenAny(Task.WhenAll(pending), grace) == grace)
        {
            // Handlers see cancellation and their messages are released (ProcessAsync) rather than retried.
            await _handlersStop.CancelAsync();
            await Task.WhenAll(pending);
        }
    }

    private async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(int count, CancellationToken stoppingToken)
    {
        try
        {
            return await store.ClaimAsync(queue, count, TimeSpan.FromSeconds(_queue.LeaseSeconds), _consumerId, stoppingToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            // The database is away (restart, failover): nothing was claimed; try again shortly.
            LogClaimFailed(e, queue);
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            return [];
        }
    }

    private async Task ProcessAsync(ReceivedMessage message)
    {
        using var activity = StartProcessActivity(message);
        var started = Stopwatch.GetTimestamp();
        var outcome = await HandleAsync(message);
        var settled = await SettleAsync(message, outcome);
        var name = OutcomeName(outcome);
        activity?.SetTag("messaging.outcome", name);
        MessagingTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, MessagingTelemetry.Queue(queue), MessagingTelemetry.Outcome(name));
        MessagingTelemetry.Settled.Add(1, MessagingTelemetry.Queue(queue), MessagingTelemetry.Outcome(settled ? name : "lease_lost"));
        if (!settled)
        {
            LogLeaseLost(queue, message.MessageId, message.Attempt);
        }
    }

    private async Task<MessageOutcome> HandleAsync(ReceivedMessage message)
    {
        if (message.Attempt > message.MaxAttempts)
        {
            // Its earlier consumers died mid-handling every time (leases expired): stop the poison cycle.
            return MessageOutcome.DeadLetter($"Lease expired on each of {message.MaxAttempts} attempts.");
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            return await handler.HandleAsync(message, _handlersStop.Token);
        }
        catch (OperationCanceledException) when (_handlersStop.IsCancellationRequested)
        {
            return Released.Instance;
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, queue, message.MessageId, message.Attempt);
            return MessageOutcome.RetryLater($"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<bool> SettleAsync(ReceivedMessage message, MessageOutcome outcome)
    {
        try
        {
            return outcome switch
            {
                MessageOutcome.Completed => await store.CompleteAsync(message),
                Released => await store.ReleaseAsync(message),
                MessageOutcome.Dead dead => await store.DeadLetterAsync(message, dead.Reason),
                MessageOutcome.Retry retry when message.IsLastAttempt =>
                    await store.DeadLetterAsync(message, $"Gave up after {message.Attempt} attempts: {retry.Reason}"),
                MessageOutcome.Retry retry => await store.RetryLaterAsync(message, retry.Delay ?? RetryBackoff.For(message.Attempt, _queue, _jitter), retry.Reason),
                _ => throw new InvalidOperationException($"Unknown outcome {outcome}."),
            };
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Not settled: the lease runs out and the message is delivered again; handlers are idempotent.
            LogSettleFailed(e, queue, message.MessageId);
            return false;
        }
    }

    private Activity? StartProcessActivity(ReceivedMessage message)
    {
        message.Headers.TryGetValue(MessageHeaders.TraceParent, out var traceParent);
        ActivityContext.TryParse(traceParent, message.Headers.GetValueOrDefault(MessageHeaders.TraceState), out var parent);
        var activity = MessagingTelemetry.Source.StartActivity($"process {queue}", ActivityKind.Consumer, parent,
            links: parent == default ? null : [new ActivityLink(parent)]);
        activity?.SetTag("messaging.system", "postgresql");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", message.MessageId);
        activity?.SetTag("messaging.message.delivery_attempt", message.Attempt);
        return activity;
    }

    private static string OutcomeName(MessageOutcome outcome) => outcome switch
    {
        MessageOutcome.Completed => "completed",
        MessageOutcome.Retry => "retried",
        MessageOutcome.Dead => "dead_lettered",
        _ => "released",
    };

    public override void Dispose()
    {
        _handlersStop.Dispose();
        base.Dispose();
    }

    /// <summary>Handler cancelled by shutdown: give the message back without counting the attempt.</summary>
    private sealed record Released : MessageOutcome
    {
        public static readonly Released Instance = new();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming from {Queue} failed; retrying")]
    private partial void LogClaimFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler for {Queue} failed on message {MessageId} (attempt {Attempt})")]
    private partial void LogHandlerFailed(Exception exception, string queue, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling message {MessageId} of {Queue} failed; it will be redelivered")]
    private partial void LogSettleFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of {Queue} (attempt {Attempt}) was not settled: its lease had passed to another claim")]
    private partial void LogLeaseLost(string queue, string messageId, int attempt);
}
