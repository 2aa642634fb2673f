using Platform.Benchmarks.Baselines;
using Platform.Infrastructure.Messaging;

namespace Platform.Benchmarks.Queue;

/// <summary>
/// <c>./bench.sh queue</c>: the Postgres transport (publisher, <see cref="QueueConsumer{THandler}"/>, queue store) against
/// raw <c>SKIP LOCKED</c> dequeues by pgbench, on one throwaway cluster, each side on a fresh database holding the same
/// N rows; then the pick-up latency of single messages published to idle consumers; then the outbox relay's lag to
/// Service Bus (<see cref="OutboxRelayBenchmark"/>).
/// </summary>
public static class QueueBenchmark
{
    public const string Queue = "bench";
    private const int PickupMessages = 500;
    private static readonly TimeSpan PickupSpacing = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(int messages, string npgsqlSettings, CancellationToken cancellationToken)
    {
        messages = messages / PgbenchBaseline.Clients * PgbenchBaseline.Clients; // pgbench gives each client the same share
        await using var postgres = await PostgresServer.CreateAsync();
        Console.WriteLine($"queue: {messages} messages, {Environment.ProcessorCount} cores; {HugePages.Describe(postgres)}{(npgsqlSettings.Length > 0 ? $", consumers' Npgsql settings: {npgsqlSettings}" : "")}");

        var (perSecond, p50, p99) = await MeasureTransportAsync(postgres, messages, npgsqlSettings, cancellationToken);
        var baseline = await MeasurePgbenchAsync(postgres, messages, cancellationToken);
        var relayP99 = await OutboxRelayBenchmark.RunAsync(postgres, cancellationToken);
        Console.WriteLine($"queue msgs_per_s={Figures.Format(perSecond)} baseline_msgs_per_s={Figures.Format(baseline.MessagesPerSecond)}"
            + $" ratio={Figures.Format(perSecond / baseline.MessagesPerSecond)} pickup_p50_ms={Figures.Format(p50)} pickup_p99_ms={Figures.Format(p99)}"
            + $" outbox_relay_lag_p99_ms={Figures.Format(relayP99)}");
    }

    /// <summary>
    /// Ours, warmed up first: 4 consumers (4 hosts, as pgbench has 4 clients) with the shipped queue settings drain N
    /// messages; then pick-up latency on the idle consumers; then, for reference, one host alone.
    /// </summary>
    private static async Task<(double PerSecond, double P50, double P99)> MeasureTransportAsync(
        PostgresServer postgres, int messages, string npgsqlSettings, CancellationToken cancellationToken)
    {
        await using var queue = await QueueDatabase.CreateAsync(postgres, npgsqlSettings, cancellationToken);
        await using (var warmup = ConsumerHosts.Build(queue, hosts: 4))
        {
            await queue.FillAsync(2_000, "w", cancellationToken);
            await DrainAsync(warmup, queue, 2_000, cancellationToken);
        }

        double perSecond, p50, p99;
        await using (var consumers = ConsumerHosts.Build(queue, hosts: 4))
        {
            await queue.FillAsync(messages, "m", cancellationToken);
            var cpu = CpuMeter.Start(new Dictionary<string, int> { ["bench (consumers)"] = Environment.ProcessId });
            var elapsed = await DrainAsync(consumers, queue, messages, cancellationToken);
            perSecond = messages / elapsed.TotalSeconds;
            Console.WriteLine($"  ours: {Figures.Seconds(elapsed)} to empty the queue with 4 consumers (4 hosts × {consumers.Settings}:"
                + " batched claim UPDATE … SKIP LOCKED, handler, batched DELETE)");
            Console.WriteLine($"  ours CPU: {cpu.Stop()}");
            (p50, p99, var max) = await MeasurePickupAsync(queue, cancellationToken);
            Console.WriteLine($"  pick-up: {PickupMessages} single messages {PickupSpacing.TotalMilliseconds} ms apart to idle consumers:"
                + $" p50 {Figures.Format(p50)} ms, p99 {Figures.Format(p99)} ms, max {Figures.Format(max)} ms (publish call → handler start)");
        }
        await using (var oneHost = ConsumerHosts.Build(queue, hosts: 1))
        {
            await queue.FillAsync(messages, "c", cancellationToken);
            var elapsed = await DrainAsync(oneHost, queue, messages, cancellationToken);
            Console.WriteLine($"  for reference, one host ({oneHost.Settings}): {Figures.Format(messages / elapsed.TotalSeconds)} msgs/s");
        }
        return (perSecond, p50, p99);
    }

    /// <summary>The ceiling: the same N rows on a fresh database, dequeued by pgbench.</summary>
    private static async Task<PgbenchResult> MeasurePgbenchAsync(PostgresServer postgres, int messages, CancellationToken cancellationToken)
    {
        await using var queue = await QueueDatabase.CreateAsync(postgres, "", cancellationToken);
        await queue.FillAsync(messages, "m", cancellationToken);
        var cpu = CpuMeter.Start(new Dictionary<string, int>());
        var baseline = await PgbenchBaseline.MeasureAsync(queue.ConnectionString, messages, cancellationToken);
        Console.WriteLine($"  baseline: pgbench -c 4 -j 2, {baseline.Transactions} one-statement dequeues: tps {Figures.Format(baseline.TransactionsPerSecond)}"
            + $" (without connection time), {baseline.Deleted} rows deleted");
        Console.WriteLine($"  baseline CPU (pgbench is part of the rest): {cpu.Stop()}");
        return baseline;
    }

    /// <summary>Starts the consumers on a full queue and times until every message is handled and deleted.</summary>
    private static async Task<TimeSpan> DrainAsync(ConsumerHosts consumers, QueueDatabase queue, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DrainTimeout);
        var handled = queue.Probe.Expect(count);
        var clock = Stopwatch.StartNew();
        await consumers.StartAsync(timeout.Token);
        await handled.WaitAsync(timeout.Token);
        // Every handler has run; the last settling deletes may still be in flight.
        while (await queue.AnyLeftAsync(timeout.Token))
        {
            await Task.Delay(1, timeout.Token);
        }
        return clock.Elapsed;
    }

    /// <summary>One message at a time to consumers waiting on LISTEN: the latency a lone page or step message sees.</summary>
    private static async Task<(double P50, double P99, double Max)> MeasurePickupAsync(QueueDatabase queue, CancellationToken cancellationToken)
    {
        var handled = queue.Probe.Expect(PickupMessages);
        for (var i = 0; i < PickupMessages; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await queue.Publisher.PublishAsync([new OutgoingMessage(Queue, $"p-{i}", sent.ToString())], cancellationToken);
            await Task.Delay(PickupSpacing, cancellationToken);
        }
        await handled.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var latencies = queue.Probe.LatenciesMilliseconds;
        return (Figures.Percentile(latencies, 50), Figures.Percentile(latencies, 99), latencies.Max());
    }
}
