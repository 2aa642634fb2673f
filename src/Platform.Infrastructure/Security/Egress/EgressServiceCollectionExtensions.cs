using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security.Egress;

public static class EgressServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="EgressGuard"/> with <c>Security:Egress</c> validated at start; safe to call more than once. Binds
    /// <paramref name="configuration"/> when given, else the container's configuration if it has one (bare service
    /// collections in tests have none and get the strict defaults).
    /// </summary>
    public static IServiceCollection AddEgressGuard(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (services.Any(d => d.ServiceType == typeof(EgressGuard)))
        {
            return services;
        }
        services.AddOptions<EgressOptions>()
            .Configure<IServiceProvider>((options, provider) =>
                (configuration ?? provider.GetService<IConfiguration>())?.GetSection(EgressOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EgressOptions>, EgressOptionsValidator>());
        services.AddSingleton(provider => new EgressGuard(
            provider.GetRequiredService<IOptions<EgressOptions>>(), provider.GetService<IHostEnvironment>()));
        return services;
    }

    /// <summary>Sends the client's connections through the guard (for clients that call URLs a tenant chose).</summary>
    public static IHttpClientBuilder ThroughEgressGuard(this IHttpClientBuilder builder, IConfiguration? configuration = null)
    {
        builder.Services.AddEgressGuard(configuration);
        return builder.ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<EgressGuard>().CreateHandler());
    }
}
