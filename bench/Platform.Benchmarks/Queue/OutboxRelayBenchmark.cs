using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.Outbox;
using Platform.Testing.ServiceBus;

namespace Platform.Benchmarks.Queue;

/// <summary>
/// The outbox relay's lag (<c>platform.outbox.relay_lag</c>: commit of an outbox row → the broker accepted it) with
/// the dispatcher relaying to the in-process Service Bus REST fake: single-message transactions at a steady pace,
/// as pipeline handlers publish, then one burst, as a scan's first pages.
/// </summary>
public static class OutboxRelayBenchmark
{
    private const int Paced = 1_000;
    private const int Burst = 5_000;
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(2);

    public static async Task<double> RunAsync(PostgresServer postgres, CancellationToken cancellationToken)
    {
        await using var queue = await QueueDatabase.CreateAsync(postgres, "", cancellationToken);
        await using var broker = await FakeServiceBus.StartAsync();
        broker.Declare(QueueBenchmark.Queue);
        var lags = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "platform.outbox.relay_lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => { lock (lags) { lags.Add(seconds * 1000); } });
        listener.Start();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = MessagingOptions.ServiceBus,
            ["ConnectionStrings:servicebus"] = broker.ConnectionString,
        });
        builder.Services.AddSingleton(queue.DataSource);
        builder.Services.AddOutboxDispatcher();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var publisher = host.Services.GetRequiredService<IMessagePublisher>();

        for (var i = 0; i < Paced; i++)
        {
            await using var connection = await queue.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await publisher.PublishAsync(transaction, [new OutgoingMessage(QueueBenchmark.Queue, $"paced-{i}", "0")], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await Task.Delay(Spacing, cancellationToken);
        }
        await WaitForAsync(broker, Paced, cancellationToken);
        double[] paced;
        lock (lags)
        {
            paced = [.. lags];
            lags.Clear();
        }
        await publisher.PublishAsync([.. Enumerable.Range(0, Burst).Select(i => new OutgoingMessage(QueueBenchmark.Queue, $"burst-{i}", "0"))], cancellationToken);
        await WaitForAsync(broker, Paced + Burst, cancellationToken);
        double[] burst;
        lock (lags)
        {
            burst = [.. lags];
        }
        await host.StopAsync(cancellationToken);

        Console.WriteLine($"  outbox relay (dispatcher → Service Bus REST fake): {Paced} single-message transactions {Spacing.TotalMilliseconds} ms apart:"
            + $" lag p50 {Figures.Format(Figures.Percentile(paced, 50))} ms, p99 {Figures.Format(Figures.Percentile(paced, 99))} ms;"
            + $" a burst of {Burst}: p99 {Figures.Format(Figures.Percentile(burst, 99))} ms, max {Figures.Format(burst.Max())} ms");
        return Figures.Percentile(paced, 99);
    }

    private static async Task WaitForAsync(FakeServiceBus broker, int accepted, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while (broker.Queue(QueueBenchmark.Queue).Accepted < accepted)
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
