using System.Text.Json;
using Platform.Domain.Pricing;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Pricing;

/// <summary>
/// Organization-scoped reads and writes of pricing rules: another organization's rule id finds nothing. Every write
/// and its audit entry share one transaction. Rules are never deleted, only deactivated, so history keeps its meaning.
/// </summary>
public sealed class PricingRuleRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Upper bound of a listing; the API has no pagination for rules yet.</summary>
    public const int MaxListed = 1000;

    private const string Columns = """
        id, priority, carat_min, carat_max, shapes, lab_grown, feed_id, markup_ratio, rating::int AS rating, active, created_at, updated_at
        """;

    /// <summary>The organization's rules in the order the pricing engine tries them (priority, then id).</summary>
    public async Task<IReadOnlyList<PricingRuleRecord>> ListAsync(Guid orgId, bool includeInactive, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return (await connection.QueryAsync<PricingRuleRecord>(new CommandDefinition($"""
            SELECT {Columns} FROM pricing_rules
            WHERE org_id = @orgId AND (@includeInactive OR active)
            ORDER BY priority, id LIMIT @limit
            """, new { orgId, includeInactive, limit = MaxListed }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<PricingRuleRecord?> FindAsync(Guid orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await FindAsync(connection, null, orgId, id, forUpdate: false, cancellationToken);
    }

    /// <summary>Whether <paramref name="feedId"/> is a feed of the organization (a rule may only name its own feeds).</summary>
    public async Task<bool> IsFeedOfAsync(Guid orgId, Guid feedId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM feeds WHERE org_id = @orgId AND id = @feedId)", new { orgId, feedId }, cancellationToken: cancellationToken));
    }

    /// <summary>Inserts a validated rule (its <see cref="PricingRule.Id"/> is the new id) and audits it.</summary>
    public async Task<PricingRuleRecord> CreateAsync(Guid orgId, PricingRule rule, PricingRuleChange change, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await connection.QuerySingleAsync<PricingRuleRecord>(new CommandDefinition($"""
            INSERT INTO pricing_rules (id, org_id, priority, carat_min, carat_max, shapes, lab_grown, feed_id, markup_ratio, rating, active)
            VALUES (@Id, @orgId, @Priority, @CaratMin, @CaratMax, @shapes::text[], @LabGrown, @FeedId, @MarkupRatio, @Rating, @Active)
            RETURNING {Columns}
            """, Parameters(orgId, rule), transaction, cancellationToken: cancellationToken));
        await AuditAsync(connection, transaction, orgId, "pricing_rule.created", created.Id, before: null, after: created, change, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>Replaces every field of the organization's rule; null when it has no such rule.</summary>
    public async Task<PricingRuleRecord?> ReplaceAsync(Guid orgId, PricingRule rule, PricingRuleChange change, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await FindAsync(connection, transaction, orgId, rule.Id, forUpdate: true, cancellationToken);
        if (before is null)
        {
            return null;
        }
        var after = await connection.QuerySingleAsync<PricingRuleRecord>(new CommandDefinition($"""
            UPDATE pricing_rules
            SET priority = @Priority, carat_min = @CaratMin, carat_max = @CaratMax, shapes = @shapes::text[], lab_grown = @LabGrown,
                feed_id = @FeedId, markup_ratio = @MarkupRatio, rating = @Rating, active = @Active, updated_at = now()
            WHERE org_id = @orgId AND id = @Id
            RETURNING {Columns}
            """, Parameters(orgId, rule), transaction, cancellationToken: cancellationToken));
        await AuditAsync(connection, transaction, orgId, "pricing_rule.updated", after.Id, before, after, change, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>
    /// Deactivates the organization's rule; false when it has no such rule. Deactivating an inactive rule changes
    /// nothing and writes no audit entry.
    /// </summary>
    public async Task<bool> DeactivateAsync(Guid orgId, Guid id, PricingRuleChange change, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await FindAsync(connection, transaction, orgId, id, forUpdate: true, cancellationToken);
        if (before is null)
        {
            return false;
        }
        if (before.Active)
        {
            var after = await connection.QuerySingleAsync<PricingRuleRecord>(new CommandDefinition($"""
                UPDATE pricing_rules SET active = false, updated_at = now() WHERE org_id = @orgId AND id = @id RETURNING {Columns}
                """, new { orgId, id }, transaction, cancellationToken: cancellationToken));
            await AuditAsync(connection, transaction, orgId, "pricing_rule.deactivated", id, before, after, change, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static Task<PricingRuleRecord?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid orgId, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<PricingRuleRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pricing_rules WHERE org_id = @orgId AND id = @id{(forUpdate ? " FOR UPDATE" : "")}",
            new { orgId, id }, transaction, cancellationToken: cancellationToken));

    private static object Parameters(Guid orgId, PricingRule rule) => new
    {
        orgId, rule.Id, rule.Priority, rule.CaratMin, rule.CaratMax, shapes = rule.Shapes?.ToArray(), rule.LabGrown, rule.FeedId,
        rule.MarkupRatio, rule.Rating, rule.Active,
    };

    private static Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, string action, Guid id,
        PricingRuleRecord? before, PricingRuleRecord after, PricingRuleChange change, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(orgId, change.Actor, action, "pricing_rule", id.ToString(), Snapshot(before), Snapshot(after), change.TraceId, change.Ip),
            cancellationToken);

    // Audit JSON uses the API's camelCase names, so an entry reads like the request and response that caused it.
    private static JsonElement? Snapshot(PricingRuleRecord? rule) =>
        rule is null ? null : JsonSerializer.SerializeToElement(rule, JsonSerializerOptions.Web);
}
