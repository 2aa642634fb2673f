using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Authentication;

/// <summary>
/// <c>last_used_at</c> without a write per request: each authenticated request records its key's time in memory, and
/// every <c>ApiKeys:UsageFlushSeconds</c> the latest time per key is written in one <c>UNNEST</c> UPDATE. The last batch
/// is written on shutdown; a crash loses at most one interval of "last used" times, which is all they are.
/// </summary>
public sealed partial class ApiKeyUsage(
    ApiKeyStore store, IOptions<ApiKeyOptions> options, TimeProvider time, ILogger<ApiKeyUsage> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public int Pending => _pending.Count;

    public void Record(Guid keyId)
    {
        var now = time.GetUtcNow();
        _pending.AddOrUpdate(keyId, now, (_, previous) => previous > now ? previous : now);
    }

    /// <summary>Writes what was collected; on failure the times go back into the batch for the next attempt.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<KeyValuePair<Guid, DateTimeOffset>>();
        foreach (var keyId in _pending.Keys)
        {
            // Taking each entry out (rather than swapping the dictionary) means a use recorded meanwhile is never lost.
            if (_pending.TryRemove(keyId, out var usedAt))
            {
                batch.Add(new(keyId, usedAt));
            }
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await store.RecordUseAsync(batch, cancellationToken);
        }
        // ObjectDisposedException: the host disposed the data source before this last flush (a test host torn down fast).
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            foreach (var (keyId, usedAt) in batch)
            {
                _pending.AddOrUpdate(keyId, usedAt, (_, newer) => newer > usedAt ? newer : usedAt);
            }
            LogFlushFailed(logger, batch.Count, exception);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.UsageFlushSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes the last batch.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Bounded by the host's shutdown timeout (HostOptions.ShutdownTimeout), not a shorter one of our own: on a busy
        // machine opening a connection can take seconds, and this is the last chance to write the batch.
        await FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of {Count} API keys; retrying at the next flush.")]
    private static partial void LogFlushFailed(ILogger logger, int count, Exception exception);
}
