using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Platform.Api.Authentication;

/// <summary>Section <c>ApiKeys</c>: the key cache, revocation propagation, usage tracking, rotation and limits (ADR 0023).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary>How long a rotated key keeps working next to its replacement.</summary>
    [Range(0, 720, ErrorMessage = "ApiKeys:RotationGraceHours must be between 0 and 720.")]
    public int RotationGraceHours { get; set; } = 24;

    /// <summary>How long a looked-up key is trusted without the database while the revocation channel is subscribed.</summary>
    [Range(1, 300, ErrorMessage = "ApiKeys:CacheSeconds must be between 1 and 300.")]
    public int CacheSeconds { get; set; } = 30;

    /// <summary>The cache lifetime while the revocation channel is not subscribed (Redis down): the bound on a missed revocation.</summary>
    [Range(1, 60, ErrorMessage = "ApiKeys:FallbackCacheSeconds must be between 1 and 60.")]
    public int FallbackCacheSeconds { get; set; } = 5;

    /// <summary>Most keys the cache holds; when full it starts again empty (a key is at worst looked up once more).</summary>
    [Range(1, 1_000_000, ErrorMessage = "ApiKeys:CacheMaxEntries must be between 1 and 1000000.")]
    public int CacheMaxEntries { get; set; } = 10_000;

    /// <summary>The Redis channel revocations and rotations are published on; every replica of one deployment must share it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "ApiKeys:RevocationChannel must not be empty.")]
    public string RevocationChannel { get; set; } = "platform:api-keys:revoked";

    /// <summary>How often collected <c>last_used_at</c> times are written, in one statement.</summary>
    [Range(1, 3600, ErrorMessage = "ApiKeys:UsageFlushSeconds must be between 1 and 3600.")]
    public int UsageFlushSeconds { get; set; } = 30;

    /// <summary>Most unrevoked keys an organization may hold; one more is refused with 409 API_KEY_LIMIT_REACHED.</summary>
    [Range(1, ApiKeyLimits.MaxKeysCeiling, ErrorMessage = "ApiKeys:MaxKeysPerOrganization must be between 1 and 1000.")]
    public int MaxKeysPerOrganization { get; set; } = 100;

    /// <summary>How far a signed request's <c>X-Timestamp</c> may be from the server's clock, either way (ADR 0032).</summary>
    [Range(30, 900, ErrorMessage = "ApiKeys:SignatureToleranceSeconds must be between 30 and 900.")]
    public int SignatureToleranceSeconds { get; set; } = 300;

    /// <summary>The Redis key prefix of used nonces; replicas of one deployment must share it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "ApiKeys:NonceKeyPrefix must not be empty.")]
    public string NonceKeyPrefix { get; set; } = "platform:signed-nonce:";

    /// <summary>How long the nonce check waits for Redis before this replica checks replays alone.</summary>
    [Range(10, 5000, ErrorMessage = "ApiKeys:NonceRedisTimeoutMilliseconds must be between 10 and 5000.")]
    public int NonceRedisTimeoutMilliseconds { get; set; } = 250;

    public TimeSpan RotationGrace => TimeSpan.FromHours(RotationGraceHours);
}

public static class ApiKeyLimits
{
    /// <summary>The list endpoint returns every unrevoked key, so the per-organization limit must stay below what it returns.</summary>
    public const int MaxKeysCeiling = 1000;

    public const int MaxNameLength = 100;
}

internal sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options) =>
        options.FallbackCacheSeconds > options.CacheSeconds
            ? ValidateOptionsResult.Fail("ApiKeys:FallbackCacheSeconds must not be longer than ApiKeys:CacheSeconds.")
            : ValidateOptionsResult.Success;
}
