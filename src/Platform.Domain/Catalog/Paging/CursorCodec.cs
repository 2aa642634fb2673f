using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Domain.Catalog.Paging;

/// <summary>
/// Opaque, tamper-evident page cursors (ADR 0020): <c>base64url(payload).base64url(HMAC-SHA256(key, scope ∥ 0 ∥ payload))</c>.
/// The payload holds the position (the last row's sort key and id); the <em>scope</em> (organization, filters, sort)
/// is not in the token but in the MAC, so a cursor replayed with other filters, another sort or by another
/// organization fails verification exactly like an altered one.
/// </summary>
public sealed class CursorCodec
{
    /// <summary>Longer tokens are refused before any decoding: no real position needs more.</summary>
    public const int MaxTokenLength = 512;

    private const string Version = "1";
    private const char Separator = '\n';

    private readonly IReadOnlyList<byte[]> _keys;

    /// <param name="keys">The signing key first; the others are still accepted (key rotation).</param>
    public CursorCodec(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0 || keys.Any(key => key.Length < CursorSigningOptions.MinKeyBytes))
        {
            throw new ArgumentException($"Cursor keys must have at least {CursorSigningOptions.MinKeyBytes} bytes.", nameof(keys));
        }
        _keys = keys;
    }

    public string Encode(string scope, IReadOnlyList<string> values)
    {
        if (values.Any(value => value.Contains(Separator, StringComparison.Ordinal)))
        {
            throw new ArgumentException("Cursor values must not contain line breaks.", nameof(values));
        }
        var payload = Encoding.UTF8.GetBytes(Version + Separator + string.Join(Separator, values));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Mac(_keys[0], scope, payload));
    }

    /// <summary>The values of a cursor issued for <paramref name="scope"/>, or null when the token is malformed, altered, or of another scope.</summary>
    public IReadOnlyList<string>? Decode(string scope, string token, int expectedValues)
    {
        if (token.Length > MaxTokenLength)
        {
            return null;
        }
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return null;
        }
        if (!_keys.Any(key => CryptographicOperations.FixedTimeEquals(Mac(key, scope, payload), mac)))
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(payload).Split(Separator);
        return parts.Length == expectedValues + 1 && parts[0] == Version ? parts[1..] : null;
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (!Base64Url.IsValid(text, out var length))
        {
            return false;
        }
        bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(text, bytes, out _);
    }

    private static byte[] Mac(byte[] key, string scope, byte[] payload)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var message = new byte[scopeBytes.Length + 1 + payload.Length];
        scopeBytes.CopyTo(message, 0);
        payload.CopyTo(message, scopeBytes.Length + 1);
        return HMACSHA256.HashData(key, message);
    }
}
