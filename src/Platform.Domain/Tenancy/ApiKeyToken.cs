using System.Security.Cryptography;
using System.Text;

namespace Platform.Domain.Tenancy;

/// <summary>
/// The secret an API client presents: <c>plat_</c> + 32 base62 characters + a 6-character base62 checksum.
/// The fixed prefix lets secret scanners recognise a leaked key; the checksum lets us reject typos and
/// random strings without a database look-up. Only <see cref="Hash"/> is ever stored.
/// </summary>
public static class ApiKeyToken
{
    public const string Prefix = "plat_";
    private const int SecretLength = 32;
    private const int ChecksumLength = 6;
    public const int Length = 5 + SecretLength + ChecksumLength;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new random key (about 190 bits of entropy).</summary>
    public static string Generate()
    {
        Span<char> secret = stackalloc char[SecretLength];
        for (var i = 0; i < secret.Length; i++)
        {
            secret[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        var body = Prefix + new string(secret);
        return body + Checksum(body);
    }

    /// <summary>True when the text has the key's shape and its checksum matches.</summary>
    public static bool IsWellFormed(string? token)
    {
        if (token is null || token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in token.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        var body = token[..^ChecksumLength];
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Checksum(body)),
            Encoding.ASCII.GetBytes(token[^ChecksumLength..]));
    }

    /// <summary>SHA-256 of the whole key: what the database stores and looks up.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>What may be shown later to identify a key: the type prefix and the first four secret characters.</summary>
    public static string DisplayPrefix(string token) => token[..(Prefix.Length + 4)];

    public static string LastFour(string token) => token[^4..];

    private static string Checksum(string body)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(body), digest);
        var value = BitConverter.ToUInt32(digest[..4]);
        Span<char> chars = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % (uint)Alphabet.Length)];
            value /= (uint)Alphabet.Length;
        }
        return new string(chars);
    }
}
