using Platform.Domain.Tenancy;

namespace Platform.Infrastructure.Tenancy;

/// <summary>Who a presented key belongs to, and what it may do.</summary>
public sealed class ApiKeyIdentity
{
    public required Guid KeyId { get; init; }
    public Guid? OrgId { get; init; }
    public required string KeyName { get; init; }
    public required string[] Scopes { get; init; }
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
            SELECT id AS "KeyId", org_id AS "OrgId", name AS "KeyName", scopes AS "Scopes"
            FROM api_keys
            WHERE key_hash = @hash
              AND (revoked_at IS NULL OR grace_until > @now)
              AND (expires_at IS NULL OR expires_at > @now)
            """, new { hash = ApiKeyToken.Hash(token), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

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
}
