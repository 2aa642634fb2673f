using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
}
