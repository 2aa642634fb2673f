using System.Text.Json;

namespace Platform.Infrastructure.Tenancy;

/// <summary>Writes audit entries inside the transaction of the change they describe, so neither exists without the other.</summary>
public static class AuditLog
{
    public static Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (org_id, actor, action, target_type, target_id, before, after, ip, trace_id)
            VALUES (@OrgId, @Actor, @Action, @TargetType, @TargetId, @before::jsonb, @after::jsonb, @Ip::inet, @TraceId)
            """,
            new
            {
                entry.OrgId, entry.Actor, entry.Action, entry.TargetType, entry.TargetId, entry.TraceId, entry.Ip,
                before = entry.Before is null ? null : JsonSerializer.Serialize(entry.Before),
                after = entry.After is null ? null : JsonSerializer.Serialize(entry.After),
            },
            transaction, cancellationToken: cancellationToken));
}

public sealed record AuditEntry(
    Guid? OrgId, string Actor, string Action, string TargetType, string? TargetId,
    object? Before = null, object? After = null, string? TraceId = null, string? Ip = null);
