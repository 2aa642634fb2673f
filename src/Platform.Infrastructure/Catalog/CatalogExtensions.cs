using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Infrastructure.Catalog.Reservations;
using Platform.Infrastructure.Feeds;

namespace Platform.Infrastructure.Catalog;

public static class CatalogExtensions
{
    /// <summary>Catalog reads for the api.</summary>
    public static IServiceCollection AddCatalogReads(this IServiceCollection services)
    {
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
