using System.Text.Json;

namespace Platform.Infrastructure.Tenancy;

/// <summary>One audit entry as the API shows it.</summary>
public sealed class AuditLogEntry
{
    public required long Id { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string TargetType { get; init; }
    public string? TargetId { get; init; }
    public JsonElement? Before { get; init; }
    public JsonElement? After { get; init; }
    public string? Ip { get; init; }
    public string? TraceId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Filters of the audit-log list; every one optional, all of them combined with AND.</summary>
public sealed record AuditLogFilter(string? Action, string? TargetType, string? Actor, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Where a page starts: after the entry with this (created_at, id), going back in time.</summary>
public sealed record AuditLogPosition(DateTimeOffset CreatedAt, long Id);

public sealed class AuditLogQueries(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// An organization's entries, newest first, keyset-paged by (created_at, id) so pages stay stable while entries are
    /// added; the index <c>audit_log_org_time_idx</c> serves it. <c>from</c> is inclusive, <c>to</c> exclusive.
    /// </summary>
    public async Task<IReadOnlyList<AuditLogEntry>> ListAsync(
        Guid orgId, AuditLogFilter filter, AuditLogPosition? after, int limit, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<AuditLogRow>(new CommandDefinition("""
            SELECT id AS "Id", actor AS "Actor", action AS "Action", target_type AS "TargetType", target_id AS "TargetId",
                   before::text AS "Before", after::text AS "After", host(ip) AS "Ip", trace_id AS "TraceId", created_at AS "CreatedAt"
            FROM audit_log
            WHERE org_id = @orgId
              AND (@action::text IS NULL OR action = @action)
              AND (@targetType::text IS NULL OR target_type = @targetType)
              AND (@actor::text IS NULL OR actor = @actor)
              AND (@from::timestamptz IS NULL OR created_at >= @from)
              AND (@to::timestamptz IS NULL OR created_at < @to)
              AND (@afterAt::timestamptz IS NULL OR (created_at, id) < (@afterAt, @afterId))
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """,
            new
            {
                orgId, action = filter.Action, targetType = filter.TargetType, actor = filter.Actor,
                from = filter.From?.UtcDateTime, to = filter.To?.UtcDateTime,
                afterAt = after?.CreatedAt.UtcDateTime, afterId = after?.Id ?? 0, limit,
            },
            cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }

    private sealed class AuditLogRow
    {
        public long Id { get; init; }
        public string Actor { get; init; } = "";
        public string Action { get; init; } = "";
        public string TargetType { get; init; } = "";
        public string? TargetId { get; init; }
        public string? Before { get; init; }
        public string? After { get; init; }
        public string? Ip { get; init; }
        public string? TraceId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public AuditLogEntry ToEntry() => new()
        {
            Id = Id, Actor = Actor, Action = Action, TargetType = TargetType, TargetId = TargetId,
            Before = Before is null ? null : JsonSerializer.Deserialize<JsonElement>(Before),
            After = After is null ? null : JsonSerializer.Deserialize<JsonElement>(After),
            Ip = Ip, TraceId = TraceId, CreatedAt = CreatedAt,
        };
    }
}
