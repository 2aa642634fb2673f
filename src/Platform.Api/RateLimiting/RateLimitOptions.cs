using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.RateLimiting;

/// <summary>Request rate limits per named policy (PLATFORM §7), counted in Redis and shared by every api replica.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Unauthenticated routes (status, OpenAPI document, reference), per client IP.</summary>
    public RateLimitPolicyOptions Public { get; set; } = new() { PermitLimit = 100 };

    /// <summary>
    /// Catalog, analytics, export and run reads, per API key. With <see cref="OrganizationRates"/> a key of an organization
    /// gets its organization's <c>rpm_read</c> instead; this limit applies to requests counted by IP and when that rate is unknown.
    /// </summary>
    public RateLimitPolicyOptions CatalogRead { get; set; } = new() { PermitLimit = 500 };

    /// <summary>POST, PUT and DELETE, per API key; an organization's <c>rpm_write</c> replaces it as for <see cref="CatalogRead"/>.</summary>
    public RateLimitPolicyOptions CatalogWrite { get; set; } = new() { PermitLimit = 60 };

    /// <summary>Operator routes, per API key.</summary>
    public RateLimitPolicyOptions Admin { get; set; } = new() { PermitLimit = 1000 };

    /// <summary>
    /// Per-key limits of <c>catalog-read</c> / <c>catalog-write</c> from the key's organization (plan rate or operator
    /// override, per minute). False: every key gets the configured limits (for load tests, or to pin limits during an incident).
    /// </summary>
    public bool OrganizationRates { get; set; } = true;

    /// <summary>How long a replica keeps an organization's rates before reading them again (a changed override applies within this).</summary>
    [Range(1, 3600, ErrorMessage = "RateLimits:OrganizationCacheSeconds must be between 1 and 3600.")]
    public int OrganizationCacheSeconds { get; set; } = 60;

    /// <summary>Prefix of the Redis keys; replicas that share a budget must share it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "RateLimits:KeyPrefix must not be empty.")]
    public string KeyPrefix { get; set; } = "ratelimit:";

    /// <summary>
    /// How long one call to Redis may take before its requests are counted in process instead. Short: a hung Redis must
    /// not stall every request of the api. A request can wait for the call in flight and then its own (ADR 0040).
    /// </summary>
    [Range(10, 5_000, ErrorMessage = "RateLimits:RedisTimeoutMilliseconds must be between 10 and 5000.")]
    public int RedisTimeoutMilliseconds { get; set; } = 100;

    public RateLimitPolicyOptions For(string policy) => policy switch
    {
        RateLimitPolicies.Public => Public,
        RateLimitPolicies.CatalogRead => CatalogRead,
        RateLimitPolicies.CatalogWrite => CatalogWrite,
        RateLimitPolicies.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown rate-limit policy."),
    };

    /// <summary>The budget of an API key: its organization's per-minute rate for the catalog policies, else the configured one.</summary>
    public RateLimitPolicyOptions ForKey(string policy, OrganizationRate? rate) => (policy, rate) switch
    {
        (RateLimitPolicies.CatalogRead, { } r) => new RateLimitPolicyOptions { PermitLimit = r.RpmRead, WindowSeconds = 60 },
        (RateLimitPolicies.CatalogWrite, { } r) => new RateLimitPolicyOptions { PermitLimit = r.RpmWrite, WindowSeconds = 60 },
        _ => For(policy),
    };
}

/// <summary>One policy's budget: <see cref="PermitLimit"/> requests in any sliding <see cref="WindowSeconds"/>.</summary>
public sealed class RateLimitPolicyOptions
{
    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}

/// <summary>Refuses limits that would block everything or that the sorted-set window could not hold, at start-up.</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    // A sliding window keeps one sorted-set entry per admitted request; beyond this the memory per key is not worth it.
    public const int MaxPermitLimit = 1_000_000;

    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        foreach (var policy in RateLimitPolicies.All)
        {
            var limits = options.For(policy);
            var section = $"RateLimits:{SectionOf(policy)}";
            if (limits.PermitLimit is < 1 or > MaxPermitLimit)
            {
                failures.Add($"{section}:PermitLimit must be between 1 and {MaxPermitLimit}.");
            }
            if (limits.WindowSeconds is < 1 or > 86_400)
            {
                failures.Add($"{section}:WindowSeconds must be between 1 and 86400.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string SectionOf(string policy) => policy switch
    {
        RateLimitPolicies.Public => nameof(RateLimitOptions.Public),
        RateLimitPolicies.CatalogRead => nameof(RateLimitOptions.CatalogRead),
        RateLimitPolicies.CatalogWrite => nameof(RateLimitOptions.CatalogWrite),
        _ => nameof(RateLimitOptions.Admin),
    };
}
