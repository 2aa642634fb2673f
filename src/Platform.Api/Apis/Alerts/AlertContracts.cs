using System.Text.Json;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Rules;

namespace Platform.Api.Apis.Alerts;

/// <summary>
/// Body of <c>POST …/alerts/channels</c>. <c>url</c> for <c>webhook</c>, <c>slack</c> and <c>teams</c>; <c>routingKey</c> for
/// <c>pagerduty</c>; <c>email</c> for <c>email</c>. URL, routing key and SMTP password are secrets: never returned.
/// </summary>
public sealed record CreateAlertChannelRequest(string? Name, string? Kind, string? Url, string? RoutingKey, EmailChannelRequest? Email);

public sealed record EmailChannelRequest(string? Host, int? Port, string? Security, string? Username, string? Password, string? From, IReadOnlyList<string?>? To);

/// <summary>A channel as listed: its secret only as <see cref="SecretHint"/> (the last four characters of a long secret).</summary>
public sealed record AlertChannelView(
    Guid Id, string Name, string Kind, string SecretHint, EmailSettingsView? Email, DateTimeOffset CreatedAt,
    DateTimeOffset? LastDeliveredAt, DateTimeOffset? LastFailedAt, string? LastFailure)
{
    public static AlertChannelView Of(AlertChannel channel) => new(
        channel.Id, channel.Name, channel.Kind, channel.SecretHint,
        channel.Email is { } email ? new EmailSettingsView(email.Host, email.Port, email.Security, email.Username, email.From, email.To) : null,
        channel.CreatedAt, channel.LastDeliveredAt, channel.LastFailedAt, channel.LastFailure);
}

/// <summary>An email channel's settings without the password.</summary>
public sealed record EmailSettingsView(string Host, int Port, string Security, string? Username, string From, IReadOnlyList<string> To);

public sealed record AlertChannelList(IReadOnlyList<AlertChannelView> Items);

/// <summary>The outcome of a test notification: <c>delivered</c> false with <c>failure</c> when the receiver refused or was unreachable.</summary>
public sealed record AlertChannelTestResult(bool Delivered, string? Failure);

/// <summary>Body of <c>POST …/alerts/rules</c>.</summary>
public sealed record CreateAlertRuleRequest(string? Name, string? Kind, IReadOnlyList<Guid>? ChannelIds, int? CooldownSeconds, bool? Enabled);

public sealed record AlertRuleView(Guid Id, string Name, string Kind, IReadOnlyList<Guid> ChannelIds, int CooldownSeconds, bool Enabled, DateTimeOffset CreatedAt)
{
    public static AlertRuleView Of(AlertRule rule) => new(rule.Id, rule.Name, rule.Kind, rule.ChannelIds, rule.CooldownSeconds, rule.Enabled, rule.CreatedAt);
}

public sealed record AlertRuleList(IReadOnlyList<AlertRuleView> Items);

/// <summary>One episode: <c>firing</c> until its condition cleared, then <c>resolved</c>.</summary>
public sealed record AlertEventItem(
    long Id, Guid RuleId, string RuleName, string Kind, string Subject, Guid? OrganizationId, string Severity, string Status, string Summary,
    JsonElement Details, DateTimeOffset FiredAt, DateTimeOffset? ResolvedAt, DateTimeOffset? LastNotifiedAt, int Notifications)
{
    public static AlertEventItem Of(AlertEventView e)
    {
        using var details = JsonDocument.Parse(e.Details);
        return new(e.Id, e.RuleId, e.RuleName, e.Kind, e.Subject, e.SubjectOrgId, e.Severity, e.Status, e.Summary, details.RootElement.Clone(),
            e.FiredAt, e.ResolvedAt, e.LastNotifiedAt, e.Notifications);
    }
}

/// <summary>A page of history, newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page (null on the last).</summary>
public sealed record AlertHistoryPage(IReadOnlyList<AlertEventItem> Items, long? NextBefore);
