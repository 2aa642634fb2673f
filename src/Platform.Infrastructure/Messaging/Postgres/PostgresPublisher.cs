using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Messaging.Postgres;

/// <summary>
/// Publishes into <c>queue_messages</c>. The transactional overload enqueues inside the caller's transaction:
/// with this transport that <em>is</em> the outbox, because the message commits or rolls back with the change.
/// </summary>
public sealed class PostgresPublisher(NpgsqlDataSource dataSource, IOptions<MessagingOptions> options, TimeProvider time)
    : IMessagePublisher
{
    public async Task PublishAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await EnqueueAsync(connection, null, messages, cancellationToken);
    }

    public Task PublishAsync(NpgsqlTransaction transaction, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
        EnqueueAsync(transaction.Connection!, transaction, messages, cancellationToken);

    private async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        Validate(messages);
        using var activity = MessagingTelemetry.Source.StartActivity($"publish {messages[0].Queue}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "postgresql");
        activity?.SetTag("messaging.destination.name", messages[0].Queue);
        activity?.SetTag("messaging.batch.message_count", messages.Count);

        var headers = JsonSerializer.Serialize(TraceHeaders(Activity.Current, time.GetUtcNow()));
        var headerList = Enumerable.Repeat(headers, messages.Count).ToList();
        var attempts = messages.Select(m => options.Value.For(m.Queue).MaxAttempts).ToList();
        var accepted = await PostgresQueueStore.EnqueueAsync(connection, transaction, messages, headerList, attempts, cancellationToken);
        MessagingTelemetry.Published.Add(accepted, MessagingTelemetry.Queue(messages[0].Queue));
    }

    internal static Dictionary<string, string> TraceHeaders(Activity? activity, DateTimeOffset now)
    {
        var headers = new Dictionary<string, string> { [MessageHeaders.EnqueuedAt] = now.ToString("O") };
        if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
        {
            headers[MessageHeaders.TraceParent] = activity.Id!;
            if (activity.TraceStateString is { Length: > 0 } state)
            {
                headers[MessageHeaders.TraceState] = state;
            }
        }
        return headers;
    }

    internal static void Validate(IReadOnlyList<OutgoingMessage> messages)
    {
        foreach (var message in messages)
        {
            if (string.IsNullOrEmpty(message.MessageId) || message.MessageId.Length > OutgoingMessage.MaxMessageIdLength)
            {
                throw new ArgumentException($"Message ids must be 1–{OutgoingMessage.MaxMessageIdLength} characters (queue {message.Queue}).", nameof(messages));
            }
            if (System.Text.Encoding.UTF8.GetByteCount(message.Body) > OutgoingMessage.MaxBodyBytes)
            {
                throw new ArgumentException($"Message {message.MessageId} exceeds {OutgoingMessage.MaxBodyBytes} bytes.", nameof(messages));
            }
        }
    }
}
