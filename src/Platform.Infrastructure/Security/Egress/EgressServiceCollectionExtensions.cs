using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security.Egress;

public static class EgressServiceCollectionExtensions
{
    /// <summary><see cref="EgressGuard"/> with <c>Security:Egress</c> validated at start; safe to call more than once.</summary>
    public static IServiceCollection AddEgressGuard(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(EgressGuard)))
        {
            return services;
        }
        services.AddOptions<EgressOptions>().BindConfiguration(EgressOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EgressOptions>, EgressOptionsValidator>());
        services.AddSingleton(provider => new EgressGuard(
            provider.GetRequiredService<IOptions<EgressOptions>>(), provider.GetService<Microsoft.Extensions.Hosting.IHostEnvironment>()));
        return services;
    }

    /// <summary>Sends the client's connections through the guard (for clients that call URLs a tenant chose).</summary>
    public static IHttpClientBuilder ThroughEgressGuard(this IHttpClientBuilder builder)
    {
        builder.Services.AddEgressGuard();
        return builder.ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<EgressGuard>().CreateHandler());
    }
}
