namespace Platform.FeedSimulator.Catalogue;

/// <summary>Generates the catalogue at start so the first supplier call is not the slow one.</summary>
internal sealed class CatalogueWarmup(CatalogueStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = store.Current;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
