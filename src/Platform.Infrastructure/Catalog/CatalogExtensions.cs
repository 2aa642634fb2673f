using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Catalog.Caching;
using Platform.Infrastructure.Catalog.Reservations;
using StackExchange.Redis;
using Platform.Infrastructure.Feeds;

namespace Platform.Infrastructure.Catalog;

public static class CatalogExtensions
{
    /// <summary>Catalog reads for the api, cached in HybridCache with Redis (the host's multiplexer) as the second level.</summary>
    public static IServiceCollection AddCatalogReads(this IServiceCollection services)
    {
        services.AddOptions<CatalogCacheOptions>().BindConfiguration(CatalogCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddStackExchangeRedisCache(redis => redis.InstanceName = "platform:");
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((redis, provider) =>
            redis.ConnectionMultiplexerFactory = () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>()));
        services.AddHybridCache().AddSerializer<CachedJson, CachedJsonSerializer>();
        services.AddOptions<HybridCacheOptions>().Configure<IOptions<CatalogCacheOptions>>((hybrid, catalog) =>
        {
            hybrid.MaximumPayloadBytes = catalog.Value.MaxEntryBytes;
            hybrid.MaximumKeyLength = 256;
        });
        services.TryAddSingleton<DatasetVersions>();
        services.TryAddSingleton<CatalogCache>();
        services.TryAddSingleton<DiamondSearch>();
        services.TryAddSingleton<DiamondQueries>();
        services.TryAddSingleton<DiamondExport>();
        services.TryAddSingleton<CatalogAnalytics>();
        return services;
    }

    /// <summary>Holds and purchases through the feeds' adapters (brings the adapters, their rate limits and breakers).</summary>
    public static IServiceCollection AddReservations(this IServiceCollection services)
    {
        services.AddFeedAdapters();
        services.TryAddSingleton<HoldService>();
        services.TryAddSingleton<PurchaseService>();
        return services;
    }
}
