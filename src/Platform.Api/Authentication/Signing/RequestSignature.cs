using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Api.Authentication.Signing;

/// <summary>
/// HMAC request signing for server-to-server keys (ADR 0032), after the seed's scheme (SOURCES §3.11) with a nonce and
/// the query string added. The signature is lowercase hex of HMAC-SHA256(signing secret, canonical string), where the
/// canonical string is <c>METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nhex(SHA-256(body))</c>.
/// </summary>
public static class RequestSignature
{
    public const string TimestampHeader = "X-Timestamp";
    public const string NonceHeader = "X-Nonce";
    public const string SignatureHeader = "X-Signature";

    /// <summary>The canonical string a client signs; the path and query exactly as sent (percent-encoding included).</summary>
    public static string Canonical(string method, string pathAndQuery, long timestamp, string nonce, ReadOnlySpan<byte> body) =>
        string.Join('\n', method.ToUpperInvariant(), pathAndQuery, timestamp.ToString(CultureInfo.InvariantCulture), nonce,
            Convert.ToHexStringLower(SHA256.HashData(body)));

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="canonical"/> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string canonical) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Constant-time comparison of a presented signature with the expected one.</summary>
    public static bool Matches(string expectedHex, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedHex), Encoding.ASCII.GetBytes(presented.Trim().ToLowerInvariant()));

    /// <summary>A nonce is 16–64 characters of A-Z, a-z, 0-9, '-' and '_' (a UUID or 128 random bits in base64url).</summary>
    public static bool IsWellFormedNonce(string? nonce) =>
        nonce is { Length: >= 16 and <= 64 } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
