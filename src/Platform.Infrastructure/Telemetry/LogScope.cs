using System.Collections;

namespace Platform.Infrastructure.Telemetry;

/// <summary>
/// A logging scope of up to three named ids (organization, run, partition, API key id), opened once per request or
/// message with <c>ILogger.BeginScope</c>. The JSON console formatter writes each pair into <c>scopes</c>, so every line
/// logged inside names the tenant and the work it belongs to. One small object per scope, no dictionary. Ids belong
/// here and on spans, never on metric labels (bounded cardinality).
/// </summary>
public sealed class LogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string OrganizationId = nameof(OrganizationId);
    public const string RunId = nameof(RunId);
    public const string PartitionId = nameof(PartitionId);
    public const string ApiKeyId = nameof(ApiKeyId);

    private readonly KeyValuePair<string, object?> _first;
    private readonly KeyValuePair<string, object?> _second;
    private readonly KeyValuePair<string, object?> _third;

    private LogScope(int count, KeyValuePair<string, object?> first, KeyValuePair<string, object?> second = default, KeyValuePair<string, object?> third = default)
    {
        Count = count;
        (_first, _second, _third) = (first, second, third);
    }

    /// <summary>An API caller: its organization (none for platform keys) and the id of its key — never the key itself.</summary>
    public static LogScope ForCaller(string? organizationId, string apiKeyId) => organizationId is null
        ? new LogScope(1, new(ApiKeyId, apiKeyId))
        : new LogScope(2, new(OrganizationId, organizationId), new(ApiKeyId, apiKeyId));

    /// <summary>Work on one run (scan, consolidation step, scheduled start).</summary>
    public static LogScope ForRun(Guid organizationId, Guid runId) =>
        new(2, new(OrganizationId, organizationId), new(RunId, runId));

    /// <summary>One page of one partition of a run.</summary>
    public static LogScope ForPartition(Guid organizationId, Guid runId, string partitionId) =>
        new(3, new(OrganizationId, organizationId), new(RunId, runId), new(PartitionId, partitionId));

    public int Count { get; }

    public KeyValuePair<string, object?> this[int index] => index < Count
        ? index switch { 0 => _first, 1 => _second, _ => _third }
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>For text formatters (<c>simple</c>): <c>OrganizationId:… RunId:…</c>.</summary>
    public override string ToString() => string.Join(' ', this.Select(pair => $"{pair.Key}:{pair.Value}"));
}
