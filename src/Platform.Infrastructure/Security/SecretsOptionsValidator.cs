using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security;

/// <summary>
/// Refuses to start without a usable key outside Development: a missing key would otherwise surface only when the first
/// feed with credentials runs, and a weak or malformed one would encrypt data nobody can read back with the right key.
/// </summary>
public sealed class SecretsOptionsValidator(IHostEnvironment? environment) : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            if (environment?.IsDevelopment() != true)
            {
                errors.Add($"{SecretsOptions.SectionName}:EncryptionKey is required outside Development: base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
            }
        }
        else if (!SecretKeys.TryDecodeKey(options.EncryptionKey, out _))
        {
            errors.Add($"{SecretsOptions.SectionName}:EncryptionKey must be base64 of exactly 32 bytes.");
        }
        if (!SecretKeys.IsValidKeyId(options.KeyId) || options.KeyId == SecretsOptions.DevelopmentKeyId && !string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            errors.Add($"{SecretsOptions.SectionName}:KeyId must be 1–32 characters of A-Z, a-z, 0-9, '.', '_' or '-' (and not '{SecretsOptions.DevelopmentKeyId}').");
        }
        foreach (var (id, key) in options.PreviousKeys)
        {
            if (!SecretKeys.IsValidKeyId(id) || !SecretKeys.TryDecodeKey(key, out _))
            {
                errors.Add($"{SecretsOptions.SectionName}:PreviousKeys:{id} must have a valid key id and base64 of exactly 32 bytes.");
            }
            else if (id == options.KeyId)
            {
                errors.Add($"{SecretsOptions.SectionName}:PreviousKeys:{id} repeats the current KeyId.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
