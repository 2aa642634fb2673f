namespace Platform.Infrastructure.Tenancy;

/// <summary>An organization with its plan's limits, the operator's overrides applied (the effective limits).</summary>
public sealed class OrganizationProfile
{
    public required Guid Id { get; init; }
    public required string Slug { get; init; }
    public required string Name { get; init; }
    public required string Plan { get; init; }
    public required int RunningCapacity { get; init; }
    public required int QueuedCapacity { get; init; }
    public required int RpmRead { get; init; }
    public required int RpmWrite { get; init; }
    public required int MaxFeeds { get; init; }
    public required int RetentionDays { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class OrganizationStore(NpgsqlDataSource dataSource)
{
    public async Task<OrganizationProfile?> FindAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrganizationProfile>(new CommandDefinition("""
            SELECT o.id AS "Id", o.slug AS "Slug", o.name AS "Name", o.plan AS "Plan",
                   COALESCE(o.running_capacity_override, p.running_capacity) AS "RunningCapacity",
                   COALESCE(o.queued_capacity_override, p.queued_capacity)   AS "QueuedCapacity",
                   COALESCE(o.rpm_read_override, p.rpm_read)                 AS "RpmRead",
                   COALESCE(o.rpm_write_override, p.rpm_write)               AS "RpmWrite",
                   COALESCE(o.max_feeds_override, p.max_feeds) AS "MaxFeeds", p.retention_days AS "RetentionDays", o.created_at AS "CreatedAt"
            FROM organizations o JOIN plans p ON p.code = o.plan
            WHERE o.id = @orgId
            """, new { orgId }, cancellationToken: cancellationToken));
    }
}
