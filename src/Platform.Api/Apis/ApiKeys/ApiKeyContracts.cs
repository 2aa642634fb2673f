using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Apis.ApiKeys;

/// <summary>Body of <c>POST /api/v1/api-keys</c>.</summary>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string?>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>A key as listed; never the secret or its hash.</summary>
public sealed record ApiKeyView(
    Guid Id, string Name, string Prefix, string Last4, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    DateTimeOffset? GraceUntil, Guid? RotatedFromId, DateTimeOffset? LastUsedAt, string? CreatedBy, DateTimeOffset CreatedAt)
{
    public static ApiKeyView Of(ApiKeyRecord key) => new(
        key.Id, key.Name, key.Prefix, key.Last4, key.Scopes, key.ExpiresAt, key.RevokedAt, key.GraceUntil, key.RotatedFromId,
        key.LastUsedAt, key.CreatedBy, key.CreatedAt);
}

/// <summary>A new key: <see cref="Key"/> is the secret, shown in this response only.</summary>
public sealed record CreatedApiKeyView(
    Guid Id, string Name, string Key, string Prefix, string Last4, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt,
    Guid? RotatedFromId, DateTimeOffset CreatedAt)
{
    public static CreatedApiKeyView Of(CreatedApiKey created, ApiKeyRecord key) => new(
        key.Id, key.Name, created.Token, key.Prefix, key.Last4, key.Scopes, key.ExpiresAt, key.RotatedFromId, key.CreatedAt);
}

public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Items);
