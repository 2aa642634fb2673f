using Platform.Domain.Tenancy;

namespace Platform.Infrastructure.Tenancy;

/// <summary>A key as listed: everything but the secret, which is never stored.</summary>
public sealed class ApiKeyRecord
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Prefix { get; init; }
    public required string Last4 { get; init; }
    public required string[] Scopes { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Set when the key was rotated: it keeps working until then.</summary>
    public DateTimeOffset? GraceUntil { get; init; }

    /// <summary>The key this one replaced, when it was created by a rotation.</summary>
    public Guid? RotatedFromId { get; init; }

    /// <summary>Updated in batches (ApiKeys:UsageFlushSeconds), so it can lag by that much.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    public string? CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether requests with this key must be signed (ADR 0032); the signing secret itself is never read back.</summary>
    public bool RequireSignature { get; init; }
}

/// <summary>Who makes a change, for the audit log.</summary>
public sealed record ApiKeyChange(Guid OrgId, string Actor, string? Ip, string? TraceId);

public enum ApiKeyOutcome
{
    Done,
    NotFound,

    /// <summary>Rotate of a key that is revoked, rotated already or expired.</summary>
    Inactive,

    /// <summary>Create when the organization holds the maximum number of unrevoked keys.</summary>
    LimitReached,
}

public sealed record ApiKeyResult(ApiKeyOutcome Outcome, CreatedApiKey? Created = null, ApiKeyRecord? Key = null, string? SigningSecret = null);

/// <summary>
/// Creates, lists, rotates and revokes an organization's keys. Every change and its audit entry commit together; every
/// query filters by organization, so another organization's key id reads as unknown.
/// </summary>
public sealed class ApiKeyManager(NpgsqlDataSource dataSource, ApiKeyStore keys, TimeProvider time, Security.SecretProtector protector)
{
    private const string Columns = """
        id AS "Id", name AS "Name", prefix AS "Prefix", last4 AS "Last4", scopes AS "Scopes", expires_at AS "ExpiresAt",
        revoked_at AS "RevokedAt", grace_until AS "GraceUntil", rotated_from_id AS "RotatedFromId", last_used_at AS "LastUsedAt",
        created_by AS "CreatedBy", created_at AS "CreatedAt", signing_secret IS NOT NULL AS "RequireSignature"
        """;

    /// <summary>The most keys <see cref="ListAsync"/> returns; creation stops far below it (ApiKeys:MaxKeysPerOrganization).</summary>
    public const int ListLimit = 1000;

    public async Task<ApiKeyResult> CreateAsync(
        ApiKeyChange change, string name, IReadOnlyCollection<string> scopes, DateTimeOffset? expiresAt, int maxKeys, CancellationToken cancellationToken,
        bool requireSignature = false)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, change.OrgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The organization's row lock serialises concurrent creates, so the limit holds under a burst too.
        await connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM organizations WHERE id = @OrgId FOR UPDATE", new { change.OrgId }, transaction, cancellationToken: cancellationToken));
        var held = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM api_keys WHERE org_id = @OrgId AND revoked_at IS NULL", new { change.OrgId }, transaction, cancellationToken: cancellationToken));
        if (held >= maxKeys)
        {
            return new ApiKeyResult(ApiKeyOutcome.LimitReached);
        }
        var created = await keys.CreateAsync(connection, transaction, change.OrgId, name, scopes, expiresAt, change.Actor, cancellationToken);
        var signingSecret = requireSignature ? await AddSigningSecretAsync(connection, transaction, created.Id, cancellationToken) : null;
        var record = await FindAsync(connection, transaction, change.OrgId, created.Id, lockRow: false, cancellationToken);
        await AuditAsync(connection, transaction, change, "api_key.created", created.Id, before: null, after: record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiKeyResult(ApiKeyOutcome.Done, created, record, signingSecret);
    }

    // A new random signing secret, stored encrypted and bound to the key's row; the plaintext goes to the caller once.
    private async Task<string> AddSigningSecretAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid keyId, CancellationToken cancellationToken)
    {
        var secret = SigningSecrets.New();
        await ApiKeyStore.SetSigningSecretAsync(connection, transaction, keyId, protector.Protect(secret, SigningSecrets.Purpose(keyId)), cancellationToken);
        return secret;
    }

    /// <summary>Unrevoked keys (expired ones too) and rotated keys still in their grace period, newest first.</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition($"""
            SELECT {Columns} FROM api_keys
            WHERE org_id = @orgId AND (revoked_at IS NULL OR grace_until > @now)
            ORDER BY created_at DESC, id DESC
            LIMIT {ListLimit}
            """, new { orgId, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Any key of the organization, revoked ones included.</summary>
    public async Task<ApiKeyRecord?> FindAsync(Guid orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await FindAsync(connection, null, orgId, id, lockRow: false, cancellationToken);
    }

    /// <summary>
    /// A new key with the old one's name, scopes and expiry; the old key is revoked but keeps working until now +
    /// <paramref name="grace"/>. Only an active key can be rotated (a rotated one is revoked, so rotating twice is refused).
    /// </summary>
    public async Task<ApiKeyResult> RotateAsync(ApiKeyChange change, Guid id, TimeSpan grace, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, change.OrgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var old = await FindAsync(connection, transaction, change.OrgId, id, lockRow: true, cancellationToken);
        if (old is null)
        {
            return new ApiKeyResult(ApiKeyOutcome.NotFound);
        }
        var now = time.GetUtcNow();
        if (old.RevokedAt is not null || old.ExpiresAt <= now)
        {
            return new ApiKeyResult(ApiKeyOutcome.Inactive, Key: old);
        }
        var created = await keys.CreateAsync(connection, transaction, change.OrgId, old.Name, old.Scopes, old.ExpiresAt, change.Actor, cancellationToken);
        // A signing key's replacement signs too, with a new secret: the old secret ends with the old key's grace period.
        var signingSecret = old.RequireSignature ? await AddSigningSecretAsync(connection, transaction, created.Id, cancellationToken) : null;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET rotated_from_id = @id WHERE id = @newId", new { id, newId = created.Id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @now, grace_until = @graceUntil WHERE id = @id AND org_id = @OrgId",
            new { id, change.OrgId, now, graceUntil = now + grace }, transaction, cancellationToken: cancellationToken));
        var before = old;
        var after = await FindAsync(connection, transaction, change.OrgId, id, lockRow: false, cancellationToken);
        var replacement = await FindAsync(connection, transaction, change.OrgId, created.Id, lockRow: false, cancellationToken);
        await AuditAsync(connection, transaction, change, "api_key.rotated", id, before,
            new { old = after, replacement }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiKeyResult(ApiKeyOutcome.Done, created, replacement, signingSecret);
    }

    /// <summary>
    /// Revokes at once, also a rotated key still in its grace period (its grace ends now). Revoking a revoked key
    /// changes nothing and writes no audit entry, so a retried DELETE is harmless.
    /// </summary>
    public async Task<ApiKeyResult> RevokeAsync(ApiKeyChange change, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, change.OrgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await FindAsync(connection, transaction, change.OrgId, id, lockRow: true, cancellationToken);
        if (before is null)
        {
            return new ApiKeyResult(ApiKeyOutcome.NotFound);
        }
        var now = time.GetUtcNow();
        if (before.RevokedAt is not null && !(before.GraceUntil > now))
        {
            return new ApiKeyResult(ApiKeyOutcome.Done, Key: before);
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now), grace_until = NULL WHERE id = @id AND org_id = @OrgId",
            new { id, change.OrgId, now }, transaction, cancellationToken: cancellationToken));
        var after = await FindAsync(connection, transaction, change.OrgId, id, lockRow: false, cancellationToken);
        await AuditAsync(connection, transaction, change, "api_key.revoked", id, before, after, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApiKeyResult(ApiKeyOutcome.Done, Key: after);
    }

    private static Task<ApiKeyRecord?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid orgId, Guid id, bool lockRow, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @id AND org_id = @orgId{(lockRow ? " FOR UPDATE" : "")}",
            new { id, orgId }, transaction, cancellationToken: cancellationToken));

    // The records hold no secret (only prefix and last four), so they can go into the audit log as they are.
    private static Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ApiKeyChange change, string action, Guid id,
        object? before, object? after, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(change.OrgId, change.Actor, action, "api_key", id.ToString(), Snapshot(before), Snapshot(after), change.TraceId, change.Ip),
            cancellationToken);

    private static System.Text.Json.JsonElement? Snapshot(object? value) =>
        value is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(value, System.Text.Json.JsonSerializerOptions.Web);
}
