using System.Text.Json.Nodes;
using Platform.Infrastructure.Alerting.Channels;

namespace Platform.Infrastructure.Alerting.Notifications;

/// <summary>The JSON each HTTP channel expects for a notice.</summary>
public static class AlertPayloads
{
    public static JsonObject For(string channelKind, AlertNotice notice) => channelKind switch
    {
        AlertChannelKinds.Slack => Slack(notice),
        AlertChannelKinds.Teams => Teams(notice),
        _ => Webhook(notice),
    };

    /// <summary>The generic webhook: everything a receiver needs to route and de-duplicate (same eventId = same episode).</summary>
    public static JsonObject Webhook(AlertNotice notice) => new()
    {
        ["type"] = $"alert.{notice.Action}",
        ["eventId"] = notice.EventId,
        ["dedupKey"] = notice.DedupKey,
        ["rule"] = new JsonObject { ["id"] = notice.RuleId, ["name"] = notice.RuleName },
        ["kind"] = notice.Kind,
        ["severity"] = notice.Severity,
        ["status"] = notice.IsResolution ? "resolved" : "firing",
        ["subject"] = notice.Subject,
        ["organizationId"] = notice.OrgId,
        ["summary"] = notice.Summary,
        ["details"] = notice.Details.DeepClone(),
        ["firedAt"] = notice.FiredAt,
        ["resolvedAt"] = notice.ResolvedAt,
    };

    /// <summary>Slack incoming webhooks (and compatible: Mattermost, Rocket.Chat) take <c>text</c>.</summary>
    public static JsonObject Slack(AlertNotice notice) => new() { ["text"] = notice.Headline };

    /// <summary>Teams incoming webhooks take a MessageCard.</summary>
    public static JsonObject Teams(AlertNotice notice) => new()
    {
        ["@type"] = "MessageCard",
        ["@context"] = "https://schema.org/extensions",
        ["summary"] = notice.Headline,
        ["themeColor"] = notice.IsResolution ? "2EB886" : notice.Severity == "critical" ? "D00000" : "FFA500",
        ["title"] = $"[{notice.Action.ToUpperInvariant()}] {notice.Kind} ({notice.Severity})",
        ["text"] = notice.Summary,
    };

    /// <summary>PagerDuty Events API v2: trigger (or resolve) keyed by the episode, so PagerDuty keeps one incident per episode.</summary>
    public static JsonObject PagerDuty(AlertNotice notice, string routingKey)
    {
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = notice.IsResolution ? "resolve" : "trigger",
            ["dedup_key"] = notice.DedupKey,
        };
        if (!notice.IsResolution)
        {
            body["payload"] = new JsonObject
            {
                ["summary"] = notice.Headline.Length > 1024 ? notice.Headline[..1024] : notice.Headline,
                ["source"] = "platform",
                ["severity"] = notice.Severity is "critical" or "warning" ? notice.Severity : "info",
                ["timestamp"] = notice.FiredAt,
                ["component"] = notice.Subject,
                ["class"] = notice.Kind,
                ["custom_details"] = notice.Details.DeepClone(),
            };
        }
        return body;
    }
}
