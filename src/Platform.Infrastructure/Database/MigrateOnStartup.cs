using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Database;

/// <summary>
/// Applies migrations in the host's "starting" phase, before the server accepts requests, so no request
/// ever meets an old schema. Several replicas may start at once: the migrator's advisory lock serialises them.
/// </summary>
public sealed class MigrateOnStartup(DatabaseMigrator migrator, IOptions<DatabaseOptions> options) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
