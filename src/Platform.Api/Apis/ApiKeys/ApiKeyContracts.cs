using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Apis.ApiKeys;

/// <summary>Body of <c>POST /api/v1/api-keys</c>.</summary>
public sealed record CreateApiKeyRequest(
    string? Name, IReadOnlyList<string?>? Scopes, DateTimeOffset? ExpiresAt,
    [property: System.ComponentModel.Description("When true, every request with this key must be HMAC-signed with the `signingSecret` of the response (docs/api/rest.md, signed requests).")] bool? RequireSignature = null);

/// <summary>A key as listed; never the secret or its hash.</summary>
public sealed record ApiKeyView(
    Guid Id, string Name, string Prefix, string Last4, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    DateTimeOffset? GraceUntil, Guid? RotatedFromId, DateTimeOffset? LastUsedAt, string? CreatedBy, DateTimeOffset CreatedAt, bool RequireSignature)
{
    public static ApiKeyView Of(ApiKeyRecord key) => new(
        key.Id, key.Name, key.Prefix, key.Last4, key.Scopes, key.ExpiresAt, key.RevokedAt, key.GraceUntil, key.RotatedFromId,
        key.LastUsedAt, key.CreatedBy, key.CreatedAt, key.RequireSignature);
}

/// <summary>A new key: <see cref="Key"/> and <see cref="SigningSecret"/> (signed keys only) are secrets, shown in this response only.</summary>
public sealed record CreatedApiKeyView(
    Guid Id, string Name, string Key, string Prefix, string Last4, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt,
    Guid? RotatedFromId, DateTimeOffset CreatedAt, bool RequireSignature, string? SigningSecret)
{
    public static CreatedApiKeyView Of(CreatedApiKey created, ApiKeyRecord key, string? signingSecret) => new(
        key.Id, key.Name, created.Token, key.Prefix, key.Last4, key.Scopes, key.ExpiresAt, key.RotatedFromId, key.CreatedAt, key.RequireSignature, signingSecret);
}

public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Items);
