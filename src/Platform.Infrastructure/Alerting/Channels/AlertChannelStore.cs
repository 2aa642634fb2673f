using System.Text.Json;
using Platform.Infrastructure.Security;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Alerting.Channels;

/// <summary>
/// Channels of one owner: an organization, or the platform (<c>orgId</c> null). Every statement filters by owner,
/// so another owner's ids read as missing. The channel's secret is stored encrypted (<see cref="SecretProtector"/>) and
/// decrypted only when a channel is read on the server.
/// </summary>
public sealed class AlertChannelStore(NpgsqlDataSource dataSource, SecretProtector secrets)
{
    private const string Columns = """
        id AS "Id", org_id AS "OrgId", name AS "Name", kind AS "Kind", config::text AS "Config", secret AS "Secret", created_at AS "CreatedAt",
        last_delivered_at AS "LastDeliveredAt", last_failed_at AS "LastFailedAt", last_failure AS "LastFailure"
        """;

    /// <summary>Creates the channel unless the owner already has <paramref name="maxChannels"/>; null then.</summary>
    public async Task<AlertChannel?> CreateAsync(Guid? orgId, string name, string kind, EmailSettings? email, string secret, int maxChannels, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockOwnerAsync(connection, transaction, orgId, cancellationToken);
        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM alert_channels WHERE org_id IS NOT DISTINCT FROM @orgId", new { orgId }, transaction, cancellationToken: cancellationToken));
        if (count >= maxChannels)
        {
            return null;
        }
        var id = Guid.CreateVersion7();
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO alert_channels (id, org_id, name, kind, config, secret) VALUES (@id, @orgId, @name, @kind, @config::jsonb, @secret)
            RETURNING {Columns}
            """, new
            {
                id, orgId, name, kind, config = email is null ? "{}" : JsonSerializer.Serialize(email, EmailSettings.Json),
                secret = secrets.Protect(secret, Purpose(id)),
            }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return ToChannel(row);
    }

    public async Task<IReadOnlyList<AlertChannel>> ListAsync(Guid? orgId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_channels WHERE org_id IS NOT DISTINCT FROM @orgId ORDER BY created_at, id", new { orgId }, cancellationToken: cancellationToken));
        return rows.Select(ToChannel).ToList();
    }

    public async Task<AlertChannel?> FindAsync(Guid? orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_channels WHERE id = @id AND org_id IS NOT DISTINCT FROM @orgId", new { orgId, id }, cancellationToken: cancellationToken));
        return row is null ? null : ToChannel(row);
    }

    /// <summary>Any owner's channel, for the notifier (the message names it; the rule that queued it checked the owner).</summary>
    public async Task<AlertChannel?> FindForDeliveryAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_channels WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToChannel(row);
    }

    /// <summary>Deletes the channel (and its place in rules); false when the owner has no such channel.</summary>
    public async Task<bool> DeleteAsync(Guid? orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenForOwnerAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM alert_channels WHERE id = @id AND org_id IS NOT DISTINCT FROM @orgId", new { orgId, id }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task RecordDeliveryAsync(Guid id, string? failure, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(failure is null
            ? "UPDATE alert_channels SET last_delivered_at = now() WHERE id = @id"
            : "UPDATE alert_channels SET last_failed_at = now(), last_failure = @failure WHERE id = @id",
            new { id, failure = failure is { Length: > 1000 } ? failure[..1000] : failure }, cancellationToken: cancellationToken));
    }

    /// <summary>Serialises creations per owner so the count limit holds under concurrent requests.</summary>
    internal static Task LockOwnerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid? orgId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended('alerting:' || coalesce(@orgId::text, 'platform'), 0))",
            new { orgId }, transaction, cancellationToken: cancellationToken));

    /// <summary>The associated data of a channel's secret: a value copied to another channel does not decrypt there.</summary>
    private static string Purpose(Guid id) => $"alert_channels.secret:{id}";

    private AlertChannel ToChannel(Row row) => new(row.Id, row.OrgId, row.Name, row.Kind,
        row.Kind == AlertChannelKinds.Email ? JsonSerializer.Deserialize<EmailSettings>(row.Config, EmailSettings.Json) : null,
        secrets.Unprotect(row.Secret, Purpose(row.Id)), row.CreatedAt, row.LastDeliveredAt, row.LastFailedAt, row.LastFailure);

    private sealed class Row
    {
        public Guid Id { get; init; }
        public Guid? OrgId { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Config { get; init; } = "{}";
        public byte[] Secret { get; init; } = [];
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? LastDeliveredAt { get; init; }
        public DateTimeOffset? LastFailedAt { get; init; }
        public string? LastFailure { get; init; }
    }
}
