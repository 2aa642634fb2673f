using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Feeds.Nivoda;
using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.Infrastructure.Security;
using Platform.Infrastructure.Security.Egress;

namespace Platform.Infrastructure.Feeds;

/// <summary>Registers supplier adapters and the upstream machinery in one call, for the api and the worker.</summary>
public static class FeedsServiceCollectionExtensions
{
    /// <summary>
    /// Supplier adapters and everything their upstream calls go through: <see cref="IFeedAdapterFactory"/>, the
    /// <c>Upstream</c> options (validated at start), per-feed resilience pipelines, the Postgres-backed shared rate
    /// limit (needs an <see cref="NpgsqlDataSource"/> in the container), the circuit monitor and the secret resolver (<c>FeedSecrets</c> by <c>secret_ref</c>, else the stored encrypted credentials).
    /// </summary>
    /// <param name="services">The container of the api or worker host.</param>
    /// <param name="configuration">
    /// Where <c>Upstream</c> and <c>FeedSecrets</c> are read from; null means the host's <see cref="IConfiguration"/>.
    /// </param>
    public static IServiceCollection AddFeedAdapters(this IServiceCollection services, IConfiguration? configuration = null)
    {
        DapperConventions.Apply();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        var upstream = services.AddOptions<UpstreamOptions>();
        if (configuration is null)
        {
            upstream.BindConfiguration(UpstreamOptions.SectionName);
        }
        else
        {
            upstream.Bind(configuration.GetSection(UpstreamOptions.SectionName));
        }
        upstream.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpstreamOptions>, UpstreamOptionsValidator>());

        // Service defaults put the standard resilience handler on every HttpClient; upstream calls have their own
        // per-feed pipeline (45 s attempts, Retry-After, a breaker per feed), and two stacked would multiply retries.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt a client out.
        // Feed URLs are chosen by tenants: every connection goes through the SSRF guard (ADR 0034).
        services.AddHttpClient(UpstreamHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers()
            .ThroughEgressGuard(configuration);
#pragma warning restore EXTEXP0001

        services.TryAddSingleton<UpstreamTelemetry>();
        services.TryAddSingleton<UpstreamCircuitMonitor>();
        services.TryAddSingleton<IUpstreamCircuitMonitor>(provider => provider.GetRequiredService<UpstreamCircuitMonitor>());
        services.TryAddSingleton<UpstreamResiliencePipelines>();
        services.TryAddSingleton<IUpstreamRateLimiter, PostgresUpstreamRateLimiter>();
        services.TryAddSingleton<UpstreamGateway>();
        services.TryAddSingleton<NivodaTokenCache>();
        services.AddSecretProtection(configuration);
        services.TryAddSingleton<IFeedSecretResolver>(provider => new StoredFeedSecretResolver(
            provider.GetRequiredService<NpgsqlDataSource>(), provider,
            new ConfigurationFeedSecretResolver(configuration ?? provider.GetRequiredService<IConfiguration>())));
        services.TryAddSingleton<IFeedAdapterFactory>(provider => new FeedAdapterFactory(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<UpstreamGateway>(),
            provider.GetRequiredService<NivodaTokenCache>(),
            provider.GetRequiredService<IFeedSecretResolver>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
