using System.Text.Json;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Alerting.Notifications;

/// <summary>
/// Delivers one notification of one episode to one channel (queue <c>alerts.notify</c>, one message per channel so a
/// failing channel delays only its own). A failure goes back to the queue with backoff (or until the channel's breaker
/// closes); after the last attempt the message is dead-lettered and logged as an error, never dropped silently.
/// A deleted rule or channel ends the delivery. Delivering twice is possible after a crash: receivers de-duplicate on
/// <c>eventId</c> + <c>type</c> (PagerDuty on <c>dedup_key</c>).
/// </summary>
public sealed partial class AlertNotificationHandler(
    NpgsqlDataSource dataSource, AlertChannelStore channels, AlertChannelDelivery delivery, ILogger<AlertNotificationHandler> logger) : IMessageHandler
{
    public async Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        AlertNotificationMessage? request;
        try
        {
            request = JsonSerializer.Deserialize<AlertNotificationMessage>(message.Body, AlertNotice.Json);
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null)
        {
            return MessageOutcome.DeadLetter("Not an alert notification message.");
        }
        var channel = await channels.FindForDeliveryAsync(request.ChannelId, cancellationToken);
        var notice = channel is null ? null : await LoadNoticeAsync(request, cancellationToken);
        if (channel is null || notice is null)
        {
            return MessageOutcome.Complete;
        }
        var result = await delivery.DeliverAsync(channel, notice, cancellationToken);
        await channels.RecordDeliveryAsync(channel.Id, result.Failure, cancellationToken);
        if (result.Delivered)
        {
            LogDelivered(notice.Action, notice.Kind, notice.EventId, channel.Id, channel.Kind);
            return MessageOutcome.Complete;
        }
        if (message.IsLastAttempt)
        {
            LogGaveUp(notice.Action, notice.Kind, notice.EventId, channel.Id, channel.Kind, message.Attempt, result.Failure);
            return MessageOutcome.DeadLetter($"Channel {channel.Id} ({channel.Kind}): {result.Failure}");
        }
        LogFailed(notice.Action, notice.Kind, notice.EventId, channel.Id, channel.Kind, message.Attempt, result.Failure);
        return MessageOutcome.RetryLater(result.Failure ?? "delivery failed", result.RetryAfter);
    }

    private async Task<AlertNotice?> LoadNoticeAsync(AlertNotificationMessage request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition("""
            SELECT e.id AS "Id", e.rule_id AS "RuleId", r.name AS "RuleName", e.kind AS "Kind", e.subject AS "Subject", e.subject_org_id AS "OrgId",
                   e.severity AS "Severity", e.summary AS "Summary", e.details::text AS "Details", e.fired_at AS "FiredAt", e.resolved_at AS "ResolvedAt"
            FROM alert_events e JOIN alert_rules r ON r.id = e.rule_id
            WHERE e.id = @EventId
            """, request, cancellationToken: cancellationToken));
        return row is null ? null : new AlertNotice(row.Id, row.RuleId, row.RuleName, row.Kind, row.Subject, row.OrgId, row.Severity, request.Action,
            row.Summary, AlertNotice.ParseDetails(row.Details), row.FiredAt, row.ResolvedAt);
    }

    private sealed class EventRow
    {
        public long Id { get; init; }
        public Guid RuleId { get; init; }
        public string RuleName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Subject { get; init; } = "";
        public Guid? OrgId { get; init; }
        public string Severity { get; init; } = "";
        public string Summary { get; init; } = "";
        public string Details { get; init; } = "{}";
        public DateTimeOffset FiredAt { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Action} {Kind} (episode {EventId}) delivered to channel {ChannelId} ({ChannelKind})")]
    private partial void LogDelivered(string action, string kind, long eventId, Guid channelId, string channelKind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Action} {Kind} (episode {EventId}) not delivered to channel {ChannelId} ({ChannelKind}), attempt {Attempt}: {Failure}; retrying")]
    private partial void LogFailed(string action, string kind, long eventId, Guid channelId, string channelKind, int attempt, string? failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {Action} {Kind} (episode {EventId}) could not be delivered to channel {ChannelId} ({ChannelKind}) after {Attempt} attempts: {Failure}; dead-lettered on alerts.notify")]
    private partial void LogGaveUp(string action, string kind, long eventId, Guid channelId, string channelKind, int attempt, string? failure);
}
