namespace Platform.Infrastructure.Messaging;

/// <summary>
/// A wake-up that holds at most one pending signal: <see cref="Set"/> never blocks, and a signal set before
/// <see cref="WaitAsync"/> is not lost, so a waiter re-checks its condition instead of sleeping through a change.
/// </summary>
internal sealed class AutoResetSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another Set got there first: one pending signal is enough.
            }
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _semaphore.WaitAsync(cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
