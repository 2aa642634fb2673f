using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.Infrastructure.Messaging;

/// <summary>
/// Consumes one queue. A claim loop keeps up to <c>max(Concurrency, BatchSize)</c> messages leased locally and claims
/// them in batches, ahead of the handler slots, so a slot that frees up finds its next message waiting instead of
/// making a round trip. <c>Concurrency</c> handler loops run the messages, each handler in its own DI scope and
/// span. A message is settled only after its handler returned (its effects are committed by then), through the
/// transport's <see cref="IQueueReceiver"/> (Postgres batches completions; Service Bus long-polls and deletes locks). Stopping stops claiming, releases the messages that never
/// started at once, lets in-flight handlers finish within the grace period and releases the rest, so nothing
/// waits for a lease to expire after a clean shutdown.
/// </summary>
public sealed partial class QueueConsumer<THandler> : BackgroundService where THandler : IMessageHandler
{
    private readonly string _queueName;
    private readonly IServiceScopeFactory _scopes;
    private readonly IQueueReceiver _receiver;
    private readonly string _system;
    private readonly MessagingOptions _options;
    private readonly ILogger<QueueConsumer<THandler>> _logger;
    private readonly IErrorLog _errors;
    private readonly string _errorCategory;
    private readonly QueueOptions _queue;
    private readonly string _consumerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private readonly CancellationTokenSource _handlersStop = new();
    private readonly Channel<HeldMessage> _waiting = Channel.CreateUnbounded<HeldMessage>(new() { SingleWriter = true });
    private readonly AutoResetSignal _slotFreed = new();
    private readonly int _capacity;
    private readonly int _refillAt;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _renewAfter;
    private readonly string _spanName;
    private int _held;

    public QueueConsumer(string queue, IServiceScopeFactory scopes, IQueueReceiverFactory receivers,
        IOptions<MessagingOptions> options, ILogger<QueueConsumer<THandler>> logger, IErrorLog errors)
    {
        (_queueName, _scopes, _options, _logger, _errors) = (queue, scopes, options.Value, logger, errors);
        _errorCategory = ErrorCategoryOf(queue);
        _queue = _options.For(queue);
        _receiver = receivers.Create(queue, _queue, _consumerId, logger);
        _system = receivers.System;
        // Held = running + waiting locally. With BatchSize <= Concurrency nothing waits: a claim fills free slots only.
        _capacity = Math.Max(_queue.Concurrency, _queue.BatchSize);
        // Refill when half a batch fits, so claims stay batched instead of taking one message per freed slot.
        _refillAt = Math.Max(1, _queue.BatchSize / 2);
        _lease = TimeSpan.FromSeconds(_queue.LeaseSeconds);
        // A message that waited locally longer than this gets a fresh lease before its handler starts.
        _renewAfter = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, _lease.Ticks / 10));
        _spanName = $"process {queue}";
    }

    public string Queue => _queueName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var handlers = new Task[_queue.Concurrency];
        for (var i = 0; i < handlers.Length; i++)
        {
            handlers[i] = RunHandlerLoopAsync(stoppingToken);
        }
        try
        {
            await ClaimLoopAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Graceful stop below.
        }

        _waiting.Writer.TryComplete();
        await ReleaseUnstartedAsync();
        var running = Task.WhenAll(handlers);
        var grace = Task.Delay(TimeSpan.FromSeconds(_options.ShutdownGraceSeconds), CancellationToken.None);
        if (await Task.WhenAny(running, grace) == grace)
        {
            // Handlers see cancellation and their messages are released (HandleAsync) rather than retried.
            await _handlersStop.CancelAsync();
            await running;
        }
        await _receiver.StopAsync();
    }

    private async Task ClaimLoopAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(_options.PollIntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = Volatile.Read(ref _held);
            var room = _capacity - held;
            if (room <= 0 || (held >= _queue.Concurrency && room < _refillAt))
            {
                // Every handler is busy or has a message waiting: claim again when a slot frees up.
                await _slotFreed.WaitAsync(stoppingToken);
                continue;
            }
            var wanted = Math.Min(_queue.BatchSize, room);
            var claimedAt = Stopwatch.GetTimestamp();
            var claimed = await ClaimAsync(wanted, stoppingToken);
            Interlocked.Add(ref _held, claimed.Count);
            foreach (var message in claimed)
            {
                MessagingTelemetry.PickupDelay.Record(message.PickupDelay.TotalSeconds, MessagingTelemetry.Queue(_queueName));
                // The consuming process's own limit decides, whatever the publisher's configuration said.
                _waiting.Writer.TryWrite(new HeldMessage(message.Message with { MaxAttempts = _queue.MaxAttempts }, claimedAt));
            }
            if (claimed.Count < wanted)
            {
                // Nothing more is visible now: wait for a NOTIFY (also one that came during the claim) or the poll.
                await _receiver.WaitForMessagesAsync(poll, stoppingToken);
            }
        }
    }

    private async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(int count, CancellationToken stoppingToken)
    {
        try
        {
            // The token only stops waiting: a claim that committed still reaches us (the receiver's contract), so that
            // shutdown releases it.
            return await _receiver.ClaimAsync(count, _lease, stoppingToken);
        }
        catch (Exception e) when (MessagingTransportException.IsTransient(e) && !stoppingToken.IsCancellationRequested)
        {
            // The database is away (restart, failover): nothing was claimed; try again shortly.
            LogClaimFailed(e, _queueName);
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            return [];
        }
    }

    private async Task RunHandlerLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // ReadAsync hands each message to exactly one idle loop (WaitToReadAsync would wake them all). A
                // stopping consumer starts nothing new; what is left waiting is released in one statement.
                var held = await _waiting.Reader.ReadAsync(stoppingToken);
                try
                {
                    await ProcessAsync(held);
                }
                catch (Exception e)
                {
                    // Settling failed in an unforeseen way: the lease runs out and the message comes back. The loop
                    // must go on, or this handler slot would be lost for the life of the process.
                    LogProcessFailed(e, _queueName, held.Message.MessageId);
                }
                var stillHeld = Interlocked.Decrement(ref _held);
                if (stillHeld < _queue.Concurrency || _capacity - stillHeld >= _refillAt)
                {
                    // Only when the claim loop's condition may have turned: waking it per message costs CPU.
                    _slotFreed.Set();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while idle.
        }
        catch (ChannelClosedException)
        {
            // Stopped and nothing is left to start.
        }
    }

    /// <summary>Gives back, in one statement and without counting the attempt, the messages that never started.</summary>
    private async Task ReleaseUnstartedAsync()
    {
        var unstarted = new List<ReceivedMessage>();
        while (_waiting.Reader.TryRead(out var held))
        {
            unstarted.Add(held.Message);
        }
        if (unstarted.Count == 0)
        {
            return;
        }
        try
        {
            var released = await _receiver.ReleaseManyAsync(unstarted);
            MessagingTelemetry.Settled.Add(released, MessagingTelemetry.Queue(_queueName), MessagingTelemetry.Outcome("released"));
        }
        catch (Exception e) when (MessagingTransportException.IsTransient(e))
        {
            // Not released: they reappear when their leases run out, with the attempt counted.
            LogReleaseFailed(e, _queueName, unstarted.Count);
        }
        Interlocked.Add(ref _held, -unstarted.Count);
    }

    public override void Dispose()
    {
        _handlersStop.Dispose();
        _slotFreed.Dispose();
        _receiver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming from {Queue} failed; retrying")]
    private partial void LogClaimFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing message {MessageId} of {Queue} failed unexpectedly; it will be redelivered")]
    private partial void LogProcessFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing {Count} unstarted messages of {Queue} failed; they reappear when their leases run out")]
    private partial void LogReleaseFailed(Exception exception, string queue, int count);
}

