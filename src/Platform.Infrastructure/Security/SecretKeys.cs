using System.Security.Cryptography;
using System.Text;

namespace Platform.Infrastructure.Security;

/// <summary>Parsing and the Development fallback for <see cref="SecretsOptions"/>'s keys.</summary>
internal static class SecretKeys
{
    public const int KeyBytes = 32;

    public static bool IsValidKeyId(string? id) =>
        id is { Length: >= 1 and <= 32 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static bool TryDecodeKey(string? base64, out byte[] key)
    {
        key = [];
        var buffer = new byte[KeyBytes + 3];
        if (base64 is null || !Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != KeyBytes)
        {
            return false;
        }
        key = buffer[..KeyBytes];
        return true;
    }

    /// <summary>
    /// A fixed, public key for Development only, so <c>./run.sh</c> works without setup. It protects nothing, which is why
    /// the validator refuses to run without a real key anywhere else and why its id is reserved.
    /// </summary>
    public static byte[] DevelopmentKey() => SHA256.HashData(Encoding.UTF8.GetBytes("platform development secrets key - not secret"));
}
