using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Tenancy;

/// <summary>The limits the operator may override per organization; null means "the plan's value".</summary>
public sealed record LimitOverrides(int? RunningCapacity, int? QueuedCapacity, int? RpmRead, int? RpmWrite, int? MaxFeeds);

/// <summary>An organization's effective request rates per minute (plan, or the operator's override).</summary>
public sealed record OrganizationRate(int RpmRead, int RpmWrite);

/// <summary>An organization's plan limits and its overrides, side by side.</summary>
public sealed class OrganizationLimits
{
    public required Guid OrgId { get; init; }
    public required string Plan { get; init; }
    public required int PlanRunningCapacity { get; init; }
    public required int PlanQueuedCapacity { get; init; }
    public required int PlanRpmRead { get; init; }
    public required int PlanRpmWrite { get; init; }
    public required int PlanMaxFeeds { get; init; }
    public int? RunningCapacityOverride { get; init; }
    public int? QueuedCapacityOverride { get; init; }
    public int? RpmReadOverride { get; init; }
    public int? RpmWriteOverride { get; init; }
    public int? MaxFeedsOverride { get; init; }

    public LimitOverrides Overrides => new(RunningCapacityOverride, QueuedCapacityOverride, RpmReadOverride, RpmWriteOverride, MaxFeedsOverride);
}

/// <summary>
/// Reads and replaces the operator's per-organization limit overrides (ADR 0024). A change is audited in its own
/// transaction, and a raised running capacity starts queued runs in that same commit instead of at the next maintenance pass.
/// </summary>
public sealed class OrganizationLimitsStore(NpgsqlDataSource dataSource, IMessagePublisher publisher)
{
    public const string AuditAction = "org.limits_changed";

    private const string Select = """
        SELECT o.id AS "OrgId", o.plan AS "Plan",
               p.running_capacity AS "PlanRunningCapacity", p.queued_capacity AS "PlanQueuedCapacity",
               p.rpm_read AS "PlanRpmRead", p.rpm_write AS "PlanRpmWrite", p.max_feeds AS "PlanMaxFeeds",
               o.running_capacity_override AS "RunningCapacityOverride", o.queued_capacity_override AS "QueuedCapacityOverride",
               o.rpm_read_override AS "RpmReadOverride", o.rpm_write_override AS "RpmWriteOverride", o.max_feeds_override AS "MaxFeedsOverride"
        FROM organizations o JOIN plans p ON p.code = o.plan
        WHERE o.id = @orgId
        """;

    public async Task<OrganizationLimits?> FindAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrganizationLimits>(new CommandDefinition(Select, new { orgId }, cancellationToken: cancellationToken));
    }

    /// <summary>The effective request rates, for the rate limiter (which caches them).</summary>
    public async Task<OrganizationRate?> FindRatesAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrganizationRate>(new CommandDefinition("""
            SELECT COALESCE(o.rpm_read_override, p.rpm_read) AS "RpmRead", COALESCE(o.rpm_write_override, p.rpm_write) AS "RpmWrite"
            FROM organizations o JOIN plans p ON p.code = o.plan WHERE o.id = @orgId
            """, new { orgId }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces every override (null clears one); null when the organization does not exist.</summary>
    public async Task<OrganizationLimits?> ReplaceAsync(Guid orgId, LimitOverrides overrides, string actor, string? traceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The same row lock run triggers take, so a capacity decision never sees half of a change.
        var before = await connection.QuerySingleOrDefaultAsync<OrganizationLimits>(new CommandDefinition(
            Select + " FOR NO KEY UPDATE OF o", new { orgId }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE organizations SET running_capacity_override = @RunningCapacity, queued_capacity_override = @QueuedCapacity,
                   rpm_read_override = @RpmRead, rpm_write_override = @RpmWrite, max_feeds_override = @MaxFeeds, updated_at = now()
            WHERE id = @orgId
            """, new { orgId, overrides.RunningCapacity, overrides.QueuedCapacity, overrides.RpmRead, overrides.RpmWrite, overrides.MaxFeeds },
            transaction, cancellationToken: cancellationToken));
        await AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(orgId, actor, AuditAction, "organization", orgId.ToString(), before.Overrides, overrides, traceId), cancellationToken);
        await RunCapacity.StartQueuedRunsAsync(connection, transaction, publisher, orgId, cancellationToken);
        var after = await connection.QuerySingleAsync<OrganizationLimits>(new CommandDefinition(Select, new { orgId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return after;
    }
}
