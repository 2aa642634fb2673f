using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Alerting.Rules;

/// <summary>An episode as the history shows it.</summary>
public sealed record AlertEventView(
    long Id, Guid RuleId, string RuleName, string Kind, string Subject, Guid? SubjectOrgId, string Severity, string Status, string Summary,
    string Details, DateTimeOffset FiredAt, DateTimeOffset? ResolvedAt, DateTimeOffset? LastNotifiedAt, int Notifications);

/// <summary>An owner's alert history, newest first, paged by id.</summary>
public sealed class AlertHistoryQueries(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<AlertEventView>> ListAsync(
        Guid? orgId, Guid? ruleId, string? status, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<AlertEventView>(new CommandDefinition("""
            SELECT e.id AS "Id", e.rule_id AS "RuleId", r.name AS "RuleName", e.kind AS "Kind", e.subject AS "Subject", e.subject_org_id AS "SubjectOrgId",
                   e.severity AS "Severity", e.status AS "Status", e.summary AS "Summary", e.details::text AS "Details", e.fired_at AS "FiredAt",
                   e.resolved_at AS "ResolvedAt", e.last_notified_at AS "LastNotifiedAt", e.notifications AS "Notifications"
            FROM alert_events e JOIN alert_rules r ON r.id = e.rule_id
            WHERE e.org_id IS NOT DISTINCT FROM @orgId
              AND (@ruleId::uuid IS NULL OR e.rule_id = @ruleId)
              AND (@status::text IS NULL OR e.status = @status)
              AND (@beforeId::bigint IS NULL OR e.id < @beforeId)
            ORDER BY e.id DESC LIMIT @limit
            """, new { orgId, ruleId, status, beforeId, limit }, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
