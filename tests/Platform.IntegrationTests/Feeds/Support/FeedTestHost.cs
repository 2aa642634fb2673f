using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>
/// A container with <c>AddFeedAdapters</c> as the api and worker register it, whose upstream HTTP goes to the given
/// handler (the in-process simulator or a recorded Nivoda). Retries are fast unless a test says otherwise.
/// </summary>
public sealed class FeedTestHost : IAsyncDisposable
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Upstream:RetryBaseDelaySeconds"] = "0.01",
        ["Upstream:RetryMaxDelaySeconds"] = "0.05",
        ["Upstream:RetryJitterMilliseconds"] = "0",
        ["Upstream:AttemptTimeoutSeconds"] = "10",
        [$"FeedSecrets:{TestFeeds.NivodaSecretRef}"] = TestFeeds.NivodaPassword,
    };

    private readonly ServiceProvider provider;
    private readonly NpgsqlDataSource? ownedDataSource;

    private FeedTestHost(ServiceProvider provider, NpgsqlDataSource? ownedDataSource)
    {
        this.provider = provider;
        this.ownedDataSource = ownedDataSource;
    }

    public IServiceProvider Services => provider;

    public static FeedTestHost Start(
        Func<HttpMessageHandler> upstream,
        IReadOnlyDictionary<string, string?>? settings = null,
        NpgsqlDataSource? dataSource = null,
        TimeProvider? clock = null,
        Action<IServiceCollection>? beforeFeeds = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(FastRetries)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        // Nothing listens on port 1: a test that meant to stay off the database fails loudly if it does not.
        var ownedDataSource = dataSource is null ? NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=1") : null;
        var services = new ServiceCollection();
        services.AddLogging();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }
        services.AddSingleton(dataSource ?? ownedDataSource!);
        beforeFeeds?.Invoke(services);
        services.AddFeedAdapters(configuration);
        services.AddHttpClient(UpstreamHttp.ClientName).ConfigurePrimaryHttpMessageHandler(upstream);
        var provider = services.BuildServiceProvider(validateScopes: true);
        // Hosts validate at start (ValidateOnStart); reading the options runs the same validation here.
        _ = provider.GetRequiredService<IOptions<UpstreamOptions>>().Value;
        return new FeedTestHost(provider, ownedDataSource);
    }

    public IFeedAdapter Adapter(FeedDefinition feed) => provider.GetRequiredService<IFeedAdapterFactory>().Create(feed);

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        if (ownedDataSource is not null)
        {
            await ownedDataSource.DisposeAsync();
        }
    }
}
