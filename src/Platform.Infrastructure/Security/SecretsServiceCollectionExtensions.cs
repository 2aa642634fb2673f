using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Security;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="SecretProtector"/> with <c>Secrets</c> options validated at start. Safe to call more than once (the api,
    /// the worker and <c>AddFeedAdapters</c> all call it).
    /// </summary>
    public static IServiceCollection AddSecretProtection(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (services.Any(d => d.ServiceType == typeof(SecretProtector)))
        {
            return services;
        }
        var options = services.AddOptions<SecretsOptions>();
        if (configuration is null)
        {
            options.BindConfiguration(SecretsOptions.SectionName);
        }
        else
        {
            options.Bind(configuration.GetSection(SecretsOptions.SectionName));
        }
        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsOptions>>(provider => new SecretsOptionsValidator(provider.GetService<IHostEnvironment>()));
        services.AddSingleton<SecretProtector>();
        return services;
    }
}
