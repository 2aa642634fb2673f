namespace Platform.Infrastructure.Ingestion.Scheduling;

/// <summary>
/// Leadership through a session-level Postgres advisory lock held on one dedicated connection: exactly one
/// process holds it, and it is released by Postgres the moment that process or its connection dies.
/// </summary>
public sealed class LeaderLease(NpgsqlDataSource dataSource, long lockKey) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    public bool IsHeld => _connection is not null;

    /// <summary>Takes the lease if free, or confirms it is still held; false when another process leads.</summary>
    public async Task<bool> TryAcquireOrConfirmAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            try
            {
                await using var ping = new NpgsqlCommand("SELECT 1", _connection);
                await ping.ExecuteScalarAsync(cancellationToken);
                return true;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The connection died, and with it the lock: lead again only after re-acquiring.
                await ReleaseAsync();
            }
        }
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", lockKey);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            _connection = connection;
            return true;
        }
        await connection.DisposeAsync();
        return false;
    }

    public async ValueTask ReleaseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                // A pooled connection keeps its session, and the session keeps the lock: unlock before returning it.
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                unlock.Parameters.AddWithValue("key", lockKey);
                await unlock.ExecuteScalarAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // The session is gone, and the lock with it.
            }
            await connection.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => ReleaseAsync();
}
