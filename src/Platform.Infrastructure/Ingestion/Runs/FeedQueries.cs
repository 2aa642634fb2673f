using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Ingestion.Runs;

/// <summary>A feed as API readers see it: no adapter configuration and no secret reference.</summary>
public sealed class FeedView
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Adapter { get; init; } = "";
    public bool Enabled { get; init; }
    public string? ScheduleCron { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Organization-scoped reads of feeds on a <see cref="TenantConnection"/> (ADR 0029); another organization's feed id finds nothing.</summary>
public sealed class FeedQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Upper bound of a listing: organizations have a handful of feeds; the bound keeps a listing cheap regardless.</summary>
    public const int MaxListed = 500;

    private const string Columns = "id, name, adapter, enabled, schedule_cron, created_at, updated_at";

    public async Task<IReadOnlyList<FeedView>> ListAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return (await connection.QueryAsync<FeedView>(new CommandDefinition(
            $"SELECT {Columns} FROM feeds WHERE org_id = @orgId ORDER BY name, id LIMIT @limit",
            new { orgId, limit = MaxListed }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The organization's feeds among <paramref name="ids"/>, in any order.</summary>
    public async Task<IReadOnlyList<FeedView>> FindManyAsync(Guid orgId, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return (await connection.QueryAsync<FeedView>(new CommandDefinition(
            $"SELECT {Columns} FROM feeds WHERE org_id = @orgId AND id = ANY(@ids)",
            new { orgId, ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToList();
    }
}
