using System.Globalization;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Security;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Authentication.Signing;

/// <summary>
/// Checks the signature of a request made with a key that has a signing secret. Any failure is reported to the caller as
/// the same 401 as a bad key; the reason is logged at Debug without the signature, nonce or secret.
/// </summary>
public sealed partial class RequestSignatureVerifier(
    SecretProtector protector, NonceReplayCache nonces, IOptions<ApiKeyOptions> options, TimeProvider time, ILogger<RequestSignatureVerifier> logger)
{
    public async Task<bool> VerifyAsync(HttpRequest request, Guid keyId, byte[] protectedSecret)
    {
        var timestampText = request.Headers[RequestSignature.TimestampHeader].ToString();
        var nonce = request.Headers[RequestSignature.NonceHeader].ToString();
        var signature = request.Headers[RequestSignature.SignatureHeader].ToString();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !RequestSignature.IsWellFormedNonce(nonce) || signature.Length != 64)
        {
            return Refuse(keyId, "missing or malformed signature headers");
        }
        var skew = Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp);
        if (skew > options.Value.SignatureToleranceSeconds)
        {
            return Refuse(keyId, $"timestamp {skew} s off");
        }
        var body = await ReadBodyAsync(request);
        string secret;
        try
        {
            secret = protector.Unprotect(protectedSecret, SigningSecrets.Purpose(keyId));
        }
        catch (SecretUnavailableException unavailable)
        {
            LogSecretUnavailable(logger, keyId, unavailable.Message);
            return false;
        }
        var canonical = RequestSignature.Canonical(request.Method, request.Path.ToUriComponent() + request.QueryString.ToUriComponent(), timestamp, nonce, body);
        if (!RequestSignature.Matches(RequestSignature.Sign(secret, canonical), signature))
        {
            return Refuse(keyId, "signature mismatch");
        }
        // Only a correctly signed request spends its nonce, so garbage cannot fill the replay cache.
        return await nonces.TryUseAsync(keyId, nonce) || Refuse(keyId, "nonce replayed");
    }

    // The body is read once into memory (bounded by the request body limit, which runs before authentication) and rewound for the endpoint.
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return buffer.ToArray();
    }

    private bool Refuse(Guid keyId, string reason)
    {
        LogRefused(logger, keyId, reason);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signed request of key {KeyId} refused: {Reason}.")]
    private static partial void LogRefused(ILogger logger, Guid keyId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The signing secret of key {KeyId} cannot be decrypted: {Problem}")]
    private static partial void LogSecretUnavailable(ILogger logger, Guid keyId, string problem);
}
