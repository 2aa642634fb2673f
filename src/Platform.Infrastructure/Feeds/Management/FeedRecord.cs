using System.Text.Json;

namespace Platform.Infrastructure.Feeds.Management;

/// <summary>
/// A feed as the API shows it. Credentials are write-only: only whether the feed has some is visible, never the value
/// or the ciphertext, so this record is also what the audit log stores as before/after.
/// </summary>
public sealed record FeedRecord(
    Guid Id, string Name, string Adapter, JsonElement Config, string? ScheduleCron, bool Enabled, int PageSize, decimal UpstreamRps,
    bool HasCredentials, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The new state of a feed's fields; <see cref="Credentials"/> null keeps the stored ones, "" removes them.</summary>
public sealed record FeedChanges(
    string Name, string Adapter, string ConfigJson, string? ScheduleCron, bool Enabled, int PageSize, decimal UpstreamRps, string? Credentials);

/// <summary>Who changed a feed, for the audit log.</summary>
public sealed record FeedChangeActor(string Actor, string? TraceId, string? Ip);

public enum FeedWriteOutcome { Done, NotFound, NameTaken, LimitReached, Invalid }

public sealed record FeedWriteResult(FeedWriteOutcome Outcome, FeedRecord? Feed = null, int? MaxFeeds = null);
