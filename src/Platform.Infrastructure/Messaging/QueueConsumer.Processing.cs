using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Messaging;

/// <summary>Running one message: lease check, handler in its own scope and span, and settling its outcome.</summary>
public sealed partial class QueueConsumer<THandler>
{
    private async Task ProcessAsync(HeldMessage held)
    {
        var message = held.Message;
        if (Stopwatch.GetElapsedTime(held.ClaimedAt) > _renewAfter && !await RenewLeaseAsync(message))
        {
            MessagingTelemetry.Settled.Add(1, MessagingTelemetry.Queue(_queueName), MessagingTelemetry.Outcome("lease_lost"));
            LogLeaseLost(_queueName, message.MessageId, message.Attempt);
            return;
        }
        using var activity = StartProcessActivity(message);
        // Every log line of the handler names its queue and message (the message id carries the run and partition).
        using var scope = _logger.BeginScope(new Dictionary<string, object?> { ["Queue"] = _queueName, ["MessageId"] = message.MessageId });
        var started = Stopwatch.GetTimestamp();
        var outcome = await HandleAsync(message);
        var name = OutcomeName(outcome);
        activity?.SetTag("messaging.outcome", name);
        MessagingTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, MessagingTelemetry.Queue(_queueName), MessagingTelemetry.Outcome(name));
        if (outcome is MessageOutcome.Completed)
        {
            await _receiver.CompleteAsync(message);
            return;
        }
        var settled = await SettleAsync(message, outcome);
        var deadLettered = settled && (outcome is MessageOutcome.Dead || (outcome is MessageOutcome.Retry && message.IsLastAttempt));
        var settledAs = settled && outcome is MessageOutcome.Retry && message.IsLastAttempt ? "dead_lettered" : name;
        MessagingTelemetry.Settled.Add(1, MessagingTelemetry.Queue(_queueName), MessagingTelemetry.Outcome(settled ? settledAs : "lease_lost"));
        if (deadLettered)
        {
            var reason = outcome is MessageOutcome.Dead dead ? dead.Reason : ((MessageOutcome.Retry)outcome).Reason;
            _errors.Record(_errorCategory, ErrorLogCodes.DeadLettered, $"Dead-lettered after {message.Attempt} attempt(s): {reason}", context: MessageContext(message));
            ErrorTelemetry.Record(ErrorTelemetry.DeadLetter, _queueName);
            activity?.SetStatus(ActivityStatusCode.Error, "dead-lettered");
        }
        if (!settled)
        {
            LogLeaseLost(_queueName, message.MessageId, message.Attempt);
        }
    }

    /// <summary>
    /// Restarts the lease of a message that waited locally, so its handler has the whole lease. False when the
    /// lease ran out and another consumer claimed the message meanwhile: then it is theirs and must not run here.
    /// </summary>
    private async Task<bool> RenewLeaseAsync(ReceivedMessage message)
    {
        try
        {
            return await _receiver.RenewLeaseAsync(message, _lease);
        }
        catch (Exception e) when (MessagingTransportException.IsTransient(e))
        {
            // Run it anyway: the lease is probably still ours, and settling checks the attempt in any case.
            LogRenewFailed(e, _queueName, message.MessageId);
            return true;
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
            await using var scope = _scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            var handling = handler.HandleAsync(message, _handlersStop.Token);
            if (!handling.IsCompleted)
            {
                await KeepLeaseWhileAsync(handling, message);
            }
            return await handling;
        }
        catch (OperationCanceledException) when (_handlersStop.IsCancellationRequested)
        {
            return Released.Instance;
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, _queueName, message.MessageId, message.Attempt);
            _errors.Record(_errorCategory, ErrorLogCodes.HandlerFailed, e, context: MessageContext(message));
            ErrorTelemetry.Record(ErrorTelemetry.Handler, _queueName);
            Activity.Current?.AddException(e);
            Activity.Current?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            return MessageOutcome.RetryLater($"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<bool> SettleAsync(ReceivedMessage message, MessageOutcome outcome)
    {
        try
        {
            return outcome switch
            {
                Released => await _receiver.ReleaseAsync(message),
                MessageOutcome.Dead dead => await _receiver.DeadLetterAsync(message, dead.Reason),
                MessageOutcome.Retry retry when message.IsLastAttempt =>
                    await _receiver.DeadLetterAsync(message, $"Gave up after {message.Attempt} attempts: {retry.Reason}"),
                MessageOutcome.Retry retry => await _receiver.RetryLaterAsync(message, retry.Delay ?? RetryBackoff.For(message.Attempt, _queue, Random.Shared), retry.Reason),
                _ => throw new InvalidOperationException($"Unknown outcome {outcome}."),
            };
        }
        catch (Exception e) when (MessagingTransportException.IsTransient(e))
        {
            // Not settled: the lease runs out and the message is delivered again; handlers are idempotent.
            LogSettleFailed(e, _queueName, message.MessageId);
            return false;
        }
    }

    private Dictionary<string, object?> MessageContext(ReceivedMessage message) => new()
    {
        ["queue"] = _queueName, ["messageId"] = message.MessageId, ["attempt"] = message.Attempt,
    };

    /// <summary>The error-log category of a queue's failures: the pipeline step it runs, or <c>messaging</c>.</summary>
    private static string ErrorCategoryOf(string queue) => queue switch
    {
        QueueNames.IngestPage => ErrorCategories.Page,
        QueueNames.IngestConsolidate => ErrorCategories.Consolidation,
        QueueNames.IngestScan => ErrorCategories.Scan,
        _ => ErrorCategories.Messaging,
    };

    /// <summary>
    /// Renews the lease every half lease while a handler runs, so a long handler (a big scan, a slow page) keeps its
    /// message instead of seeing it delivered to a second consumer. Only handlers still running after the first
    /// check pay for it: the hot path's short handlers complete before it.
    /// </summary>
    private async Task KeepLeaseWhileAsync(Task handling, ReceivedMessage message)
    {
        // Cancelled when the handler ends, so a finished handler leaves no timer behind.
        using var done = new CancellationTokenSource();
        try
        {
            var every = _receiver.RenewInterval(_lease);
            while (await Task.WhenAny(handling, Task.Delay(every, done.Token)) != handling)
            {
                if (!await RenewLeaseAsync(message))
                {
                    // Lost to another claim: nothing to do but let the handler finish; settling will be refused.
                    LogLeaseLost(_queueName, message.MessageId, message.Attempt);
                    return;
                }
            }
        }
        finally
        {
            await done.CancelAsync();
        }
    }

    private Activity? StartProcessActivity(ReceivedMessage message)
    {
        if (!MessagingTelemetry.Source.HasListeners())
        {
            return null;
        }
        message.Headers.TryGetValue(MessageHeaders.TraceParent, out var traceParent);
        ActivityContext.TryParse(traceParent, message.Headers.GetValueOrDefault(MessageHeaders.TraceState), out var parent);
        var activity = MessagingTelemetry.Source.StartActivity(_spanName, ActivityKind.Consumer, parent,
            links: parent == default ? null : [new ActivityLink(parent)]);
        activity?.SetTag("messaging.system", _system);
        activity?.SetTag("messaging.destination.name", _queueName);
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

    /// <summary>A claimed message waiting for a handler slot, and when its claim was sent (its lease started then at the latest).</summary>
    private sealed record HeldMessage(ReceivedMessage Message, long ClaimedAt);

    /// <summary>Handler cancelled by shutdown: give the message back without counting the attempt.</summary>
    private sealed record Released : MessageOutcome
    {
        public static readonly Released Instance = new();
    }
    [LoggerMessage(Level = LogLevel.Warning, Message = "Handler for {Queue} failed on message {MessageId} (attempt {Attempt})")]
    private partial void LogHandlerFailed(Exception exception, string queue, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling message {MessageId} of {Queue} failed; it will be redelivered")]
    private partial void LogSettleFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of message {MessageId} of {Queue} failed; running it anyway")]
    private partial void LogRenewFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} of {Queue} (attempt {Attempt}) was not settled: its lease had passed to another claim")]
    private partial void LogLeaseLost(string queue, string messageId, int attempt);
}
