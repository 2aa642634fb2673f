using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Domain.Alerting;
using Platform.Infrastructure.Alerting.Notifications;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Alerting.Monitors;

/// <summary>What one evaluation changed.</summary>
public sealed record AlertPassReport(int Fired, int Reminded, int Resolved, int Notifications)
{
    public bool Any => Fired + Reminded + Resolved > 0;
}

/// <summary>
/// Matches the conditions that hold now against every enabled rule and moves each rule's episodes along
/// (<see cref="AlertEpisodePolicy"/>). The episode changes and their notification messages (one per channel, queue
/// <c>alerts.notify</c>) commit in one transaction: a crash loses neither, and a notification exists only for a
/// recorded change.
/// </summary>
public sealed class AlertEvaluator(NpgsqlDataSource dataSource, IMessagePublisher publisher, IOptions<AlertingOptions> options)
{
    public async Task<AlertPassReport> EvaluateAsync(IReadOnlyList<AlertSignal> signals, CancellationToken cancellationToken)
    {
        var maxNotifications = options.Value.MaxNotificationsPerEpisode;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = await connection.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition("SELECT now()", transaction: transaction, cancellationToken: cancellationToken));
        var rules = (await connection.QueryAsync<RuleRow>(new CommandDefinition("""
            SELECT r.id AS "Id", r.org_id AS "OrgId", r.name AS "Name", r.kind AS "Kind", r.cooldown_seconds AS "CooldownSeconds",
                   coalesce(array_agg(c.channel_id) FILTER (WHERE c.channel_id IS NOT NULL), '{}') AS "ChannelIds"
            FROM alert_rules r LEFT JOIN alert_rule_channels c ON c.rule_id = r.id
            WHERE r.enabled GROUP BY r.id
            """, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        // Only the maintenance leader evaluates, so nothing else changes episodes meanwhile; the unique index on open
        // episodes would refuse a second one anyway. The latest episode of each rule and subject: the open one, or the last resolved one (a reopen candidate).
        var episodes = (await connection.QueryAsync<EpisodeRow>(new CommandDefinition("""
            SELECT DISTINCT ON (rule_id, subject) id AS "Id", rule_id AS "RuleId", subject AS "Subject", status = 'firing' AS "Firing",
                   last_notified_at AS "LastNotifiedAt", notifications AS "Notifications", resolved_at AS "ResolvedAt"
            FROM alert_events
            WHERE status = 'firing' OR resolved_at > now() - interval '1 day'
            ORDER BY rule_id, subject, (status = 'firing') DESC, id DESC
            """, transaction: transaction, cancellationToken: cancellationToken))).ToDictionary(e => (e.RuleId, e.Subject));

        var (fired, reminded, resolved) = (0, 0, 0);
        var messages = new List<OutgoingMessage>();
        foreach (var rule in rules)
        {
            var holding = signals.Where(s => s.Kind == rule.Kind && (rule.OrgId is null || s.OrgId == rule.OrgId))
                .GroupBy(s => s.Subject).ToDictionary(g => g.Key, g => g.First());
            var open = episodes.Values.Where(e => e.RuleId == rule.Id && e.Firing).Select(e => e.Subject);
            foreach (var subject in holding.Keys.Union(open).Order(StringComparer.Ordinal))
            {
                episodes.TryGetValue((rule.Id, subject), out var episode);
                holding.TryGetValue(subject, out var signal);
                var decision = AlertEpisodePolicy.Decide(episode?.State, signal is not null, now, TimeSpan.FromSeconds(rule.CooldownSeconds), maxNotifications);
                if (decision.Action == AlertAction.None)
                {
                    continue;
                }
                var eventId = await ApplyAsync(connection, transaction, rule, episode, signal, decision, cancellationToken);
                var action = decision.Action switch
                {
                    AlertAction.Resolve => AlertNotice.Resolved,
                    AlertAction.Remind => AlertNotice.Reminder,
                    _ => AlertNotice.Firing,
                };
                switch (decision.Action)
                {
                    case AlertAction.Resolve: resolved++; break;
                    case AlertAction.Remind: reminded++; break;
                    default: fired++; break;
                }
                if (decision.Notify)
                {
                    messages.AddRange(rule.ChannelIds.Select(channelId => new OutgoingMessage(
                        AlertNotificationMessage.Queue,
                        $"alert:{eventId}:{action}:{now.ToUnixTimeMilliseconds()}:{channelId}",
                        JsonSerializer.Serialize(new AlertNotificationMessage(eventId, channelId, action), AlertNotice.Json))));
                }
            }
        }
        await publisher.PublishAsync(transaction, messages, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AlertPassReport(fired, reminded, resolved, messages.Count);
    }

    private static async Task<long> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RuleRow rule, EpisodeRow? episode, AlertSignal? signal, AlertDecision decision,
        CancellationToken cancellationToken)
    {
        var notified = decision.Notify && decision.Action != AlertAction.Resolve;
        var details = signal is null ? null : JsonSerializer.Serialize(signal.Details, AlertNotice.Json);
        if (decision.Action == AlertAction.Fire)
        {
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO alert_events (rule_id, org_id, subject_org_id, kind, subject, severity, status, summary, details, last_notified_at, notifications)
                VALUES (@ruleId, @orgId, @subjectOrgId, @kind, @subject, @severity, 'firing', @summary, @details::jsonb, now(), 1)
                RETURNING id
                """, new
            {
                ruleId = rule.Id, orgId = rule.OrgId, subjectOrgId = signal!.OrgId, kind = rule.Kind, subject = signal.Subject,
                severity = AlertKinds.SeverityOf(rule.Kind), summary = signal.Summary, details,
            }, transaction, cancellationToken: cancellationToken));
        }
        var sql = decision.Action == AlertAction.Resolve
            ? "UPDATE alert_events SET status = 'resolved', resolved_at = now() WHERE id = @id"
            : """
              UPDATE alert_events SET status = 'firing', resolved_at = NULL, summary = @summary, details = @details::jsonb,
                     notifications = notifications + CASE WHEN @notified THEN 1 ELSE 0 END,
                     last_notified_at = CASE WHEN @notified THEN now() ELSE last_notified_at END
              WHERE id = @id
              """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id = episode!.Id, summary = signal?.Summary, details, notified },
            transaction, cancellationToken: cancellationToken));
        return episode.Id;
    }

    private sealed class RuleRow
    {
        public Guid Id { get; init; }
        public Guid? OrgId { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public int CooldownSeconds { get; init; }
        public Guid[] ChannelIds { get; init; } = [];
    }

    private sealed class EpisodeRow
    {
        public long Id { get; init; }
        public Guid RuleId { get; init; }
        public string Subject { get; init; } = "";
        public bool Firing { get; init; }
        public DateTimeOffset? LastNotifiedAt { get; init; }
        public int Notifications { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }

        public AlertEpisodeState State => new(Firing, LastNotifiedAt, Notifications, ResolvedAt);
    }
}
