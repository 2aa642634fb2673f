using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Infrastructure.Ingestion;

/// <summary>Scan a new run's feed and create its partitions. Id <c>scan:{runId}</c>.</summary>
public sealed record ScanMessage(Guid RunId, Guid OrgId)
{
    public string MessageId => $"scan:{RunId}";
}

/// <summary>
/// One page of one partition (PLATFORM §5.3). Id <c>{runId}:{partitionId}:{offset}</c>, so a duplicate of the
/// same page is refused by the queue while queued and skipped by the handler's offset guard afterwards.
/// </summary>
public sealed record PageMessage(
    Guid RunId, Guid OrgId, Guid FeedId, string PartitionId, decimal MinPrice, decimal MaxPrice,
    DateTimeOffset UpdatedFrom, DateTimeOffset UpdatedTo, int Offset, int Limit)
{
    public string MessageId => $"{RunId}:{PartitionId}:{Offset}";

    public PageMessage Next(int offset) => this with { Offset = offset };
}

/// <summary>
/// One consolidation step of a run, on one of its parallel chains. Id <c>consolidate:{runId}:{step}</c> on chain 0
/// and <c>consolidate:{runId}:c{chain}:{step}</c> on the others.
/// </summary>
public sealed record ConsolidateMessage(Guid RunId, Guid OrgId, bool Force, int Step, int Chain = 0)
{
    public string MessageId => Chain == 0 ? $"consolidate:{RunId}:{Step}" : $"consolidate:{RunId}:c{Chain}:{Step}";

    public ConsolidateMessage Next() => this with { Step = Step + 1 };
}

public static class PipelineJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize<T>(T message) => JsonSerializer.Serialize(message, Options);

    /// <summary>The message, or null when the body is not a valid message of that type (dead-letter it).</summary>
    public static T? TryDeserialize<T>(string body) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
