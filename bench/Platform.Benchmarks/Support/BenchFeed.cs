using System.Text.Json;
using Platform.Infrastructure.Feeds.RateLimiting;

namespace Platform.Benchmarks.Support;

/// <summary>
/// An organization and its simulator feed: no upstream rate limit (the simulator is local) and pages of 50, the
/// simulator's maximum, so both sides of the comparison fetch the same pages.
/// </summary>
public sealed record BenchFeed(Guid OrgId, Guid FeedId)
{
    public const int PageSize = 50;

    public static async Task<BenchFeed> CreateAsync(NpgsqlDataSource dataSource, string simulatorUrl, CancellationToken cancellationToken, string slug = "bench")
    {
        var feed = new BenchFeed(Guid.CreateVersion7(), Guid.CreateVersion7());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO organizations (id, slug, name, plan) VALUES (@OrgId, @slug, 'Benchmark', 'pro');
            INSERT INTO feeds (id, org_id, name, adapter, config, upstream_rps, page_size, max_page_size)
            VALUES (@FeedId, @OrgId, 'simulator', 'simulator', @config::jsonb, @rps, @pageSize, @pageSize);
            """,
            new
            {
                feed.OrgId, feed.FeedId, slug, config = JsonSerializer.Serialize(new { baseUrl = simulatorUrl }),
                rps = UpstreamRateLimit.Unlimited, pageSize = PageSize,
            }, cancellationToken: cancellationToken));
        return feed;
    }

    /// <summary>Active catalog rows of the feed: must equal the simulator's size after either side.</summary>
    public async Task<long> CatalogCountAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM diamonds WHERE org_id = @OrgId AND feed_id = @FeedId AND status = 'active'", this, cancellationToken: cancellationToken));
    }
}
