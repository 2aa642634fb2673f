using System.Collections.Concurrent;
using Platform.Infrastructure.Messaging;

namespace Platform.Benchmarks.Queue;

/// <summary>
/// What the no-op handler saw: how many messages, and for those whose body is a <see cref="Stopwatch"/> timestamp taken
/// just before publishing, the pick-up latency (publish call → handler start; publisher and consumers share this process).
/// </summary>
public sealed class BenchProbe
{
    private readonly ConcurrentQueue<double> _latencies = new();
    private long _handled;
    private long _expected = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<double> LatenciesMilliseconds => [.. _latencies];

    /// <summary>Starts counting afresh; the task completes when <paramref name="count"/> messages have been handled.</summary>
    public Task Expect(long count)
    {
        _latencies.Clear();
        Interlocked.Exchange(ref _handled, 0);
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _expected, count);
        return _reached.Task;
    }

    public void Record(ReceivedMessage message)
    {
        var now = Stopwatch.GetTimestamp();
        if (long.TryParse(message.Body, out var sent) && sent > 0)
        {
            _latencies.Enqueue(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
        }
        if (Interlocked.Increment(ref _handled) == Interlocked.Read(ref _expected))
        {
            _reached.TrySetResult();
        }
    }
}

/// <summary>Completes every message at once: the benchmark measures the transport, not a handler.</summary>
public sealed class BenchHandler(BenchProbe probe) : IMessageHandler
{
    public Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        probe.Record(message);
        return Task.FromResult(MessageOutcome.Complete);
    }
}
