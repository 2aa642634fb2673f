namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>Feeds stored in a test database (the rate limit's rows belong to a feed).</summary>
public static class FeedRows
{
    public static async Task<Guid> InsertAsync(NpgsqlDataSource dataSource, decimal rps = 2)
    {
        var orgId = Guid.NewGuid();
        var feedId = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO organizations (id, slug, name, plan) VALUES (@orgId, @slug, 'Feeds test', 'pro');
            INSERT INTO feeds (id, org_id, name, adapter, config, upstream_rps)
            VALUES (@feedId, @orgId, 'simulator', 'simulator', '{"baseUrl": "http://simulator.test/"}', @rps);
            """, new { orgId, slug = $"feeds-{orgId:N}"[..30], feedId, rps });
        return feedId;
    }

    public static async Task<long> AdmittedAsync(NpgsqlDataSource dataSource, Guid feedId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT admitted_total FROM upstream_rate_limits WHERE feed_id = @feedId", new { feedId }) ?? 0;
    }
}
