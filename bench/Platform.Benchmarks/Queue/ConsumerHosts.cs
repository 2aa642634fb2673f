using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Messaging;

namespace Platform.Benchmarks.Queue;

/// <summary>
/// In-process worker hosts, each with one <see cref="QueueConsumer{THandler}"/> of the bench queue (and, like a worker
/// process, its own LISTEN connection), sharing one connection pool. The queue's settings are the shipped defaults
/// (<see cref="MessagingOptions.Defaults"/>: Concurrency, BatchSize, lease), as a queue without its own section gets.
/// </summary>
public sealed class ConsumerHosts(IReadOnlyList<IHost> hosts) : IAsyncDisposable
{
    public static ConsumerHosts Build(QueueDatabase queue, int hosts) =>
        new([.. Enumerable.Range(0, hosts).Select(_ =>
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(queue.DataSource);
            builder.Services.AddSingleton(queue.Probe);
            builder.Services.AddQueueConsumer<BenchHandler>(QueueBenchmark.Queue);
            return builder.Build();
        })]);

    /// <summary>The queue settings the hosts really use (environment variables such as <c>Messaging__Defaults__BatchSize</c> apply).</summary>
    public string Settings
    {
        get
        {
            var options = hosts[0].Services.GetRequiredService<IOptions<MessagingOptions>>().Value.For(QueueBenchmark.Queue);
            return $"Concurrency {options.Concurrency}, BatchSize {options.BatchSize}";
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.WhenAll(hosts.Select(host => host.StartAsync(cancellationToken)));

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(hosts.Select(host => host.StopAsync(grace.Token)));
        foreach (var host in hosts)
        {
            host.Dispose();
        }
    }
}
