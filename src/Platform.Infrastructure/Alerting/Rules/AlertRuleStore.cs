using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Alerting.Rules;

/// <summary>A rule: which alert kind goes to which channels of the same owner, and how often it may remind.</summary>
public sealed record AlertRule(Guid Id, Guid? OrgId, string Name, string Kind, int CooldownSeconds, bool Enabled, IReadOnlyList<Guid> ChannelIds, DateTimeOffset CreatedAt);

public enum AlertRuleOutcome
{
    Created,
    LimitReached,
    UnknownChannels,
}

/// <summary>Rules of one owner (an organization, or the platform when <c>orgId</c> is null); every statement filters by owner.</summary>
public sealed class AlertRuleStore(NpgsqlDataSource dataSource)
{
    private const string Select = """
        SELECT r.id AS "Id", r.org_id AS "OrgId", r.name AS "Name", r.kind AS "Kind", r.cooldown_seconds AS "CooldownSeconds",
               r.enabled AS "Enabled", r.created_at AS "CreatedAt",
               coalesce(array_agg(c.channel_id ORDER BY c.channel_id) FILTER (WHERE c.channel_id IS NOT NULL), '{}') AS "ChannelIds"
        FROM alert_rules r LEFT JOIN alert_rule_channels c ON c.rule_id = r.id
        """;

    public async Task<(AlertRuleOutcome Outcome, AlertRule? Rule)> CreateAsync(
        Guid? orgId, string name, string kind, int cooldownSeconds, bool enabled, IReadOnlyList<Guid> channelIds, int maxRules, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AlertChannelStore.LockOwnerAsync(connection, transaction, orgId, cancellationToken);
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM alert_rules WHERE org_id IS NOT DISTINCT FROM @orgId",
                new { orgId }, transaction, cancellationToken: cancellationToken)) >= maxRules)
        {
            return (AlertRuleOutcome.LimitReached, null);
        }
        // The channels must be the same owner's: another organization's channel ids are as unknown as made-up ones.
        var owned = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM alert_channels WHERE id = ANY(@ids) AND org_id IS NOT DISTINCT FROM @orgId",
            new { ids = channelIds.ToArray(), orgId }, transaction, cancellationToken: cancellationToken));
        if (owned != channelIds.Count)
        {
            return (AlertRuleOutcome.UnknownChannels, null);
        }
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO alert_rules (id, org_id, name, kind, cooldown_seconds, enabled) VALUES (@id, @orgId, @name, @kind, @cooldownSeconds, @enabled);
            INSERT INTO alert_rule_channels (rule_id, channel_id) SELECT @id, unnest(@ids);
            """, new { id, orgId, name, kind, cooldownSeconds, enabled, ids = channelIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        var rule = await connection.QuerySingleAsync<Row>(new CommandDefinition($"{Select} WHERE r.id = @id GROUP BY r.id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (AlertRuleOutcome.Created, rule.ToRule());
    }

    public async Task<IReadOnlyList<AlertRule>> ListAsync(Guid? orgId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE r.org_id IS NOT DISTINCT FROM @orgId GROUP BY r.id ORDER BY r.created_at, r.id", new { orgId }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRule()).ToList();
    }

    public async Task<AlertRule?> FindAsync(Guid? orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE r.id = @id AND r.org_id IS NOT DISTINCT FROM @orgId GROUP BY r.id", new { orgId, id }, cancellationToken: cancellationToken));
        return row?.ToRule();
    }

    /// <summary>Deletes the rule with its history; false when the owner has no such rule.</summary>
    public async Task<bool> DeleteAsync(Guid? orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM alert_rules WHERE id = @id AND org_id IS NOT DISTINCT FROM @orgId", new { orgId, id }, cancellationToken: cancellationToken)) == 1;
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public Guid? OrgId { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public int CooldownSeconds { get; init; }
        public bool Enabled { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public Guid[] ChannelIds { get; init; } = [];

        public AlertRule ToRule() => new(Id, OrgId, Name, Kind, CooldownSeconds, Enabled, ChannelIds, CreatedAt);
    }
}
