using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Catalog.Caching;

/// <summary>
/// An organization's catalog version as a cache-key part: the sum of its feeds' <c>dataset_versions</c> with the latest
/// bump time (so a removed feed cannot bring an old key back). Read at most once per
/// <see cref="CatalogCacheOptions.VersionCheckMilliseconds"/> per organization and replica; concurrent readers share one query.
/// </summary>
public sealed class DatasetVersions(NpgsqlDataSource dataSource, TimeProvider time, IOptions<CatalogCacheOptions> options)
{
    /// <summary>
    /// The one statement that changes a feed's version (parameters <c>@OrgId</c>, <c>@FeedId</c>): every writer of the
    /// catalog (consolidation, holds, purchases) runs it in the transaction of its change.
    /// </summary>
    public const string BumpSql = """
        INSERT INTO dataset_versions (org_id, feed_id, version) VALUES (@OrgId, @FeedId, 1)
        ON CONFLICT (org_id, feed_id) DO UPDATE SET version = dataset_versions.version + 1, updated_at = now();
        """;

    private readonly ConcurrentDictionary<Guid, Entry> entries = new();

    public async ValueTask<string> CurrentAsync(Guid orgId, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (!entries.TryGetValue(orgId, out var entry) || !entry.IsFreshAt(now))
        {
            var freshUntil = now + (long)(options.Value.VersionCheckMilliseconds / 1000.0 * time.TimestampFrequency);
            // The update factory re-checks: a concurrent caller may have put a fresh read in meanwhile, which is shared.
            entry = entries.AddOrUpdate(orgId,
                static (id, state) => new Entry(state.self.ReadAsync(id), state.freshUntil),
                static (id, existing, state) => existing.IsFreshAt(state.now) ? existing : new Entry(state.self.ReadAsync(id), state.freshUntil),
                (self: this, now, freshUntil));
        }
        return await entry.Version.WaitAsync(cancellationToken);
    }

    /// <summary>This replica changed the organization's catalog itself (a hold, a purchase): read the version again now.</summary>
    public void Forget(Guid orgId) => entries.TryRemove(orgId, out _);

    private async Task<string> ReadAsync(Guid orgId)
    {
        // Not the caller's token: the read is shared by every request that waits on it.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        var row = await connection.QuerySingleAsync<(long Sum, DateTime? Latest)>(new CommandDefinition(
            "SELECT coalesce(sum(version), 0)::bigint, max(updated_at) FROM dataset_versions WHERE org_id = @orgId",
            new { orgId }));
        return string.Create(CultureInfo.InvariantCulture, $"{row.Sum}.{row.Latest?.Ticks ?? 0}");
    }

    private sealed record Entry(Task<string> Version, long FreshUntil)
    {
        public bool IsFreshAt(long timestamp) => timestamp < FreshUntil && !Version.IsFaulted;
    }
}
