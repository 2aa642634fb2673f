using System.Security.Cryptography;

namespace Platform.Infrastructure.Tenancy;

/// <summary>Request-signing secrets of API keys (ADR 0032): generated here, stored encrypted, checked by the api.</summary>
public static class SigningSecrets
{
    /// <summary>A new signing secret: 32 random bytes as base64url without padding (43 characters).</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The associated data of a key's stored signing secret: it decrypts only on that key's row.</summary>
    public static string Purpose(Guid keyId) => $"api_keys.signing_secret:{keyId}";
}
