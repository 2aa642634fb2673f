using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security;

/// <summary>
/// Encrypts secrets at rest (feed credentials, API key signing secrets, later alert channel secrets) with AES-256-GCM.
/// A stored value is <c>version(1) | keyIdLength(1) | keyId | nonce(12) | tag(16) | ciphertext</c>, so rows written under
/// an older key keep decrypting after a rotation. The <c>purpose</c> (e.g. <c>feeds.credentials:{feedId}</c>) is the
/// associated data: a value copied into another row or column does not decrypt there.
/// </summary>
/// <remarks>Stores call <see cref="Protect"/> when writing and <see cref="Unprotect"/> when they need the plaintext; the
/// plaintext is never logged, never returned by the API, and kept only as long as the call that needs it.</remarks>
public sealed class SecretProtector
{
    private const byte FormatVersion = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly string _currentKeyId;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public SecretProtector(IOptions<SecretsOptions> options)
    {
        var value = options.Value;
        if (string.IsNullOrWhiteSpace(value.EncryptionKey))
        {
            // Only reachable in Development: the validator refuses a missing key anywhere else.
            _currentKeyId = SecretsOptions.DevelopmentKeyId;
            _keys[_currentKeyId] = SecretKeys.DevelopmentKey();
        }
        else
        {
            _currentKeyId = value.KeyId;
            _keys[_currentKeyId] = SecretKeys.TryDecodeKey(value.EncryptionKey, out var key)
                ? key
                : throw new InvalidOperationException($"{SecretsOptions.SectionName}:EncryptionKey must be base64 of exactly 32 bytes.");
        }
        foreach (var (id, encoded) in value.PreviousKeys)
        {
            if (SecretKeys.TryDecodeKey(encoded, out var previous))
            {
                _keys.TryAdd(id, previous);
            }
        }
    }

    /// <summary>The id new values are encrypted under.</summary>
    public string CurrentKeyId => _currentKeyId;

    public byte[] Protect(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var keyId = Encoding.ASCII.GetBytes(_currentKeyId);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[2 + keyId.Length + NonceBytes + TagBytes + clear.Length];
        output[0] = FormatVersion;
        output[1] = (byte)keyId.Length;
        keyId.CopyTo(output, 2);
        var nonce = output.AsSpan(2 + keyId.Length, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        var tag = output.AsSpan(2 + keyId.Length + NonceBytes, TagBytes);
        var cipher = output.AsSpan(2 + keyId.Length + NonceBytes + TagBytes);
        using var aes = new AesGcm(_keys[_currentKeyId], TagBytes);
        aes.Encrypt(nonce, clear, cipher, tag, Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(clear);
        return output;
    }

    /// <exception cref="SecretUnavailableException">The value is malformed, its key is not configured, or it was written for another purpose.</exception>
    public string Unprotect(ReadOnlySpan<byte> protectedValue, string purpose)
    {
        var keyId = KeyIdOf(protectedValue);
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new SecretUnavailableException($"the secret was encrypted with key '{keyId}', which is not configured (add it to {SecretsOptions.SectionName}:PreviousKeys).");
        }
        var offset = 2 + keyId.Length;
        if (protectedValue.Length < offset + NonceBytes + TagBytes)
        {
            throw new SecretUnavailableException("the stored secret is truncated.");
        }
        var nonce = protectedValue.Slice(offset, NonceBytes);
        var tag = protectedValue.Slice(offset + NonceBytes, TagBytes);
        var cipher = protectedValue[(offset + NonceBytes + TagBytes)..];
        var clear = new byte[cipher.Length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(nonce, cipher, tag, clear, Encoding.UTF8.GetBytes(purpose));
            return Encoding.UTF8.GetString(clear);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretUnavailableException($"the stored secret does not decrypt with key '{keyId}' for '{purpose}' (wrong key, or copied from another row).");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    /// <summary>The id of the key a stored value was encrypted with (to find rows a rotation still has to rewrite).</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> protectedValue)
    {
        if (protectedValue.Length < 2 || protectedValue[0] != FormatVersion || protectedValue[1] == 0 || protectedValue.Length < 2 + protectedValue[1])
        {
            throw new SecretUnavailableException("the stored secret is not in a known format.");
        }
        return Encoding.ASCII.GetString(protectedValue.Slice(2, protectedValue[1]));
    }

    /// <summary>Whether a stored value should be rewritten under the current key.</summary>
    public bool IsCurrent(ReadOnlySpan<byte> protectedValue) => KeyIdOf(protectedValue) == _currentKeyId;
}
