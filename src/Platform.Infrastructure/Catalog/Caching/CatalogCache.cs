using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Catalog.Caching;

/// <summary>
/// Cached catalog reads over HybridCache (in-process L1, Redis L2; one loader per key across concurrent requests).
/// A key is <c>catalog:{org}:{dataset version}:{kind}:{SHA-256 of the canonical request}</c>: the organization keeps
/// tenants apart and the version makes a consolidation invalidate exactly that tenant. When Redis is away HybridCache
/// logs and carries on with L1 and Postgres.
/// </summary>
public sealed class CatalogCache(HybridCache cache, DatasetVersions versions, IOptions<CatalogCacheOptions> options)
{
    public const string MeterName = "Platform.Cache";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "platform.cache.requests", "{request}", "Cached catalog reads by cache (search, detail, analytics) and result (hit, miss).");

    private static readonly JsonSerializerOptions KeyJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The cached answer to <paramref name="request"/> (any value whose JSON form identifies the read), or
    /// <paramref name="load"/>'s. Null answers (not found) are cached too: they also change only with the version.
    /// </summary>
    public async ValueTask<T> GetOrLoadAsync<TRequest, T>(
        Guid orgId, CatalogCacheKind kind, TRequest request, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return await load(cancellationToken);
        }
        var version = await versions.CurrentAsync(orgId, cancellationToken);
        var key = $"catalog:{orgId:N}:{version}:{kind.Name}:{Fingerprint(request)}";
        var lifetime = TimeSpan.FromSeconds(kind.Seconds(settings));
        var entry = new HybridCacheEntryOptions
        {
            Expiration = lifetime,
            LocalCacheExpiration = TimeSpan.FromSeconds(Math.Min(settings.LocalSeconds, lifetime.TotalSeconds)),
        };
        var loader = new Loader<T>(load);
        var value = await cache.GetOrCreateAsync(key, loader, static (state, token) => state.LoadAsync(token), entry, cancellationToken: cancellationToken);
        Requests.Add(1, new KeyValuePair<string, object?>("cache", kind.Name), new KeyValuePair<string, object?>("result", loader.Ran ? "miss" : "hit"));
        return value;
    }

    private static string Fingerprint<TRequest>(TRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, KeyJson))));

    private sealed class Loader<T>(Func<CancellationToken, Task<T>> load)
    {
        public bool Ran { get; private set; }

        public async ValueTask<T> LoadAsync(CancellationToken cancellationToken)
        {
            Ran = true;
            return await load(cancellationToken);
        }
    }
}

/// <summary>What is cached, with its lifetime from <see cref="CatalogCacheOptions"/>; the name is the metric's <c>cache</c> tag.</summary>
public sealed record CatalogCacheKind(string Name, Func<CatalogCacheOptions, int> Seconds)
{
    public static readonly CatalogCacheKind Search = new("search", o => o.SearchSeconds);

    /// <summary>A GraphQL connection: the same search, with a cursor per edge, so its own entry.</summary>
    public static readonly CatalogCacheKind GraphQlSearch = new("graphql_search", o => o.SearchSeconds);
    public static readonly CatalogCacheKind Detail = new("detail", o => o.DetailSeconds);
    public static readonly CatalogCacheKind Analytics = new("analytics", o => o.AnalyticsSeconds);
}
