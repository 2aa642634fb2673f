using Platform.Domain.Tenancy;

namespace Platform.Infrastructure.Tenancy;

/// <summary>Who a presented key belongs to, and what it may do.</summary>
public sealed class ApiKeyIdentity
{
    public required Guid KeyId { get; init; }
    public Guid? OrgId { get; init; }
    public required string KeyName { get; init; }
    public required string[] Scopes { get; init; }

    /// <summary>When the key stops working by itself: its expiry, or the end of its grace period once rotated or revoked.</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    /// <summary>The key's request-signing secret, encrypted (SecretProtector); null for keys that need not sign.</summary>
    public byte[]? SigningSecret { get; init; }
}

/// <summary>A key as created: the secret is in <see cref="Token"/> and nowhere else, ever.</summary>
public sealed record CreatedApiKey(Guid Id, string Token, string Prefix, string LastFour);

public sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Looks a key up by its SHA-256; null for unknown, revoked (after any grace period) and expired keys alike.</summary>
    public async Task<ApiKeyIdentity?> FindActiveAsync(string token, CancellationToken cancellationToken)
    {
        if (!ApiKeyToken.IsWellFormed(token))
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyIdentity>(new CommandDefinition("""
            SELECT id AS "KeyId", org_id AS "OrgId", name AS "KeyName", scopes AS "Scopes",
                   LEAST(expires_at, CASE WHEN revoked_at IS NOT NULL THEN grace_until END) AS "ValidUntil",
                   signing_secret AS "SigningSecret"
            FROM api_keys
            WHERE key_hash = @hash
              AND (revoked_at IS NULL OR grace_until > @now)
              AND (expires_at IS NULL OR expires_at > @now)
            """, new { hash = ApiKeyToken.Hash(token), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>Makes a key sign its requests (ADR 0032), inside the caller's transaction; the secret arrives encrypted.</summary>
    public static Task SetSigningSecretAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid keyId, byte[] protectedSecret, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("UPDATE api_keys SET signing_secret = @protectedSecret WHERE id = @keyId",
            new { keyId, protectedSecret }, transaction, cancellationToken: cancellationToken));

    /// <summary>Creates a key inside the caller's transaction and returns its secret once.</summary>
    public async Task<CreatedApiKey> CreateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid? orgId, string name, IReadOnlyCollection<string> scopes,
        DateTimeOffset? expiresAt, string createdBy, CancellationToken cancellationToken)
    {
        foreach (var scope in scopes)
        {
            if (!Scopes.IsKnown(scope))
            {
                throw new ArgumentException($"Unknown scope '{scope}'.", nameof(scopes));
            }
        }
        var token = ApiKeyToken.Generate();
        var key = new CreatedApiKey(Guid.CreateVersion7(), token, ApiKeyToken.DisplayPrefix(token), ApiKeyToken.LastFour(token));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO api_keys (id, org_id, name, prefix, key_hash, last4, scopes, expires_at, created_by, created_at)
            VALUES (@Id, @orgId, @name, @Prefix, @hash, @LastFour, @scopes, @expiresAt, @createdBy, @now)
            """,
            new { key.Id, orgId, name, key.Prefix, hash = ApiKeyToken.Hash(token), key.LastFour, scopes = scopes.ToArray(), expiresAt, createdBy, now = time.GetUtcNow() },
            transaction, cancellationToken: cancellationToken));
        return key;
    }

    /// <summary>
    /// Records when keys were last used, in one statement for many keys. A time never moves backwards, so a late flush
    /// from one replica cannot undo a newer one from another.
    /// </summary>
    public async Task<int> RecordUseAsync(IReadOnlyCollection<KeyValuePair<Guid, DateTimeOffset>> uses, CancellationToken cancellationToken)
    {
        if (uses.Count == 0)
        {
            return 0;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE api_keys AS k SET last_used_at = u.used_at
            FROM UNNEST(@ids, @times) AS u(id, used_at)
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.used_at)
            """,
            new { ids = uses.Select(u => u.Key).ToArray(), times = uses.Select(u => u.Value.UtcDateTime).ToArray() },
            cancellationToken: cancellationToken));
    }
}
