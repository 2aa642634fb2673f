using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Api.Authentication;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.RateLimiting;

/// <summary>
/// The rates of <c>catalog-read</c> and <c>catalog-write</c> for keys of an organization (ADR 0024), cached per process
/// for <see cref="RateLimitOptions.OrganizationCacheSeconds"/> so a request does not cost a database read. The partitioner
/// of the rate limiter is synchronous, so a middleware looks the rate up before it and leaves it in the request features.
/// If the database cannot answer, the configured limits apply (and the failure is cached briefly, so a database outage
/// does not add a failing query to every request).
/// </summary>
public sealed partial class OrganizationRates(
    OrganizationLimitsStore limits, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<OrganizationRates> logger)
{
    private static readonly TimeSpan FailureCacheDuration = TimeSpan.FromSeconds(5);

    // Bounded by the number of organizations that called within the cache duration; cleared wholesale if it ever grows past this.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<Guid, Entry> _cache = new();

    public async ValueTask<OrganizationRate?> GetAsync(Guid orgId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(orgId, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Rate;
        }
        OrganizationRate? rate;
        var lifetime = TimeSpan.FromSeconds(options.Value.OrganizationCacheSeconds);
        try
        {
            rate = await limits.FindRatesAsync(orgId, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            LogLookupFailed(e, orgId);
            rate = null;
            lifetime = FailureCacheDuration;
        }
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
        _cache[orgId] = new Entry(rate, now + lifetime);
        return rate;
    }

    /// <summary>Drops a cached rate, so a change made through this replica applies to its next request.</summary>
    public void Forget(Guid orgId) => _cache.TryRemove(orgId, out _);

    /// <summary>Before the rate limiter: the calling key's organization rate, as a request feature.</summary>
    public static IApplicationBuilder UseOrganizationRates(IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var services = context.RequestServices;
            if (services.GetRequiredService<IOptions<RateLimitOptions>>().Value.OrganizationRates
                && Guid.TryParse(context.User.FindFirstValue(PlatformClaims.OrgId), out var orgId)
                && await services.GetRequiredService<OrganizationRates>().GetAsync(orgId, context.RequestAborted) is { } rate)
            {
                context.Features.Set(rate);
            }
            await next(context);
        });

    private sealed record Entry(OrganizationRate? Rate, DateTimeOffset ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the request rates of organization {OrgId}; the configured limits apply for a few seconds")]
    private partial void LogLookupFailed(Exception exception, Guid orgId);
}
