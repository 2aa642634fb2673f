namespace Platform.Infrastructure.Tenancy;

/// <summary>An organization with its plan's limits, overrides applied.</summary>
public sealed record OrganizationProfile(
    Guid Id, string Slug, string Name, string Plan,
    int RunningCapacity, int QueuedCapacity, int RpmRead, int RpmWrite, int MaxFeeds, int RetentionDays, DateTimeOffset CreatedAt);

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
                   p.max_feeds AS "MaxFeeds", p.retention_days AS "RetentionDays", o.created_at AS "CreatedAt"
            FROM organizations o JOIN plans p ON p.code = o.plan
            WHERE o.id = @orgId
            """, new { orgId }, cancellationToken: cancellationToken));
    }
}
