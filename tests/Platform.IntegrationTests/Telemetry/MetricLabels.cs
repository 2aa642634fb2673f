namespace Platform.IntegrationTests.Telemetry;

/// <summary>
/// The cardinality rule of docs/observability.md: no label may identify an entity (run, feed, organization, key,
/// message, partition…). Those belong on spans and log scopes, where one value per event is fine.
/// </summary>
public static class MetricLabels
{
    private static readonly string[] Forbidden =
        ["id", "run_id", "feed_id", "org_id", "organization_id", "organization", "tenant", "key_id", "api_key", "message_id", "partition_id", "diamond_id", "user", "url_full", "url_query", "trace_id", "span_id"];

    /// <summary>True for an id-like label, in Prometheus (<c>run_id</c>) or OpenTelemetry (<c>run.id</c>, <c>platform.feed.id</c>) spelling.</summary>
    public static bool IsForbidden(string label)
    {
        var normalized = label.Replace('.', '_').ToLowerInvariant();
        return Forbidden.Contains(normalized) || normalized.EndsWith("_id", StringComparison.Ordinal) && normalized != "service_instance_id";
    }
}
