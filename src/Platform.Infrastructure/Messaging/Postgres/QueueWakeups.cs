using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace Platform.Infrastructure.Messaging.Postgres;

/// <summary>
/// Listens on <see cref="PostgresQueueStore.NotifyChannel"/> over one dedicated connection and wakes the consumers
/// of the queue named in each notification. A hint only: consumers also poll, so a lost connection or a
/// missed notification delays work by at most one poll interval and loses nothing.
/// </summary>
public sealed partial class QueueWakeups(NpgsqlDataSource dataSource, ILogger<QueueWakeups> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);

    /// <summary>Waits for a notification for <paramref name="queue"/>, at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(string queue, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Signal(queue).WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the caller's loop sees the token.
        }
    }

    /// <summary>Wakes one waiter of the queue (also used in-process after a local publish).</summary>
    public void Notify(string queue)
    {
        var signal = Signal(queue);
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification got there first: one pending wake-up is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Notify(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresQueueStore.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Wake everyone once: messages may have arrived while we were not listening.
                foreach (var queue in _signals.Keys)
                {
                    Notify(queue);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private SemaphoreSlim Signal(string queue) => _signals.GetOrAdd(queue, _ => new SemaphoreSlim(0, 1));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue LISTEN connection failed; consumers fall back to polling until it is back")]
    private partial void LogListenFailed(Exception exception);
}
