using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Infrastructure.Messaging;

namespace Platform.Benchmarks.Queue;

/// <summary>
/// In-process worker hosts, each with one <see cref="QueueConsumer{THandler}"/> of the bench queue (and, like a worker
/// process, its own LISTEN connection), sharing one connection pool. Production settings except those given.
/// </summary>
public sealed class ConsumerHosts(IReadOnlyList<IHost> hosts) : IAsyncDisposable
{
    public static ConsumerHosts Build(QueueDatabase queue, int hosts, int concurrency, int batchSize) =>
        new([.. Enumerable.Range(0, hosts).Select(_ =>
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Messaging:Queues:{QueueBenchmark.Queue}:Concurrency"] = concurrency.ToString(),
                [$"Messaging:Queues:{QueueBenchmark.Queue}:BatchSize"] = batchSize.ToString(),
            });
            builder.Services.AddSingleton(queue.DataSource);
            builder.Services.AddSingleton(queue.Probe);
            builder.Services.AddQueueConsumer<BenchHandler>(QueueBenchmark.Queue);
            return builder.Build();
        })]);

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
