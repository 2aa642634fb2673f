namespace Platform.Infrastructure.Security;

/// <summary>
/// The keys secrets at rest are encrypted with (docs/security.md, "Secrets at rest"). New values are
/// always encrypted with <see cref="EncryptionKey"/> under <see cref="KeyId"/>; values written under an older key keep
/// decrypting while that key is listed in <see cref="PreviousKeys"/>, so rotating is: add the new key as current, move
/// the old one to <c>PreviousKeys</c>, and drop it once every row was rewritten.
/// </summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>The key id used in Development when no key is configured; never accepted elsewhere.</summary>
    public const string DevelopmentKeyId = "dev";

    /// <summary>Base64 of 32 random bytes (AES-256). Required outside Development.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Names <see cref="EncryptionKey"/> inside every ciphertext: 1–32 characters of [A-Za-z0-9._-].</summary>
    public string KeyId { get; set; } = "k1";

    /// <summary>Retired keys by id (base64 of 32 bytes each): decrypt only.</summary>
    public Dictionary<string, string> PreviousKeys { get; set; } = [];
}
