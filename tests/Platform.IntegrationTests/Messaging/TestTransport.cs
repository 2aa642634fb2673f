using Platform.Infrastructure.Messaging;
using Platform.Testing.ServiceBus;

namespace Platform.IntegrationTests.Messaging;

/// <summary>
/// The transport a pipeline test runs over. Postgres needs nothing; Service Bus gets a <see cref="FakeServiceBus"/>
/// with the pipeline's queues (locks equal to the leases the test configures, max delivery counts equal to
/// MaxAttempts, as infra/modules/servicebus.bicep declares them) and the settings that point workers at it, both as
/// configuration keys (in-process hosts) and environment variables (worker processes).
/// </summary>
public sealed class TestTransport : IAsyncDisposable
{
    private TestTransport(string name, FakeServiceBus? broker, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Broker = broker;
        Settings = settings;
    }

    public string Name { get; }
    public FakeServiceBus? Broker { get; }
    public bool IsServiceBus => Broker is not null;

    /// <summary>Configuration keys (<c>Messaging:Transport</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The same settings as environment variables (<c>Messaging__Transport</c>, …).</summary>
    public IReadOnlyDictionary<string, string> Environment => Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <param name="transport"><c>postgres</c> or <c>servicebus</c>.</param>
    /// <param name="leaseSeconds">The lease per pipeline queue the workers use (the fake's lock durations).</param>
    public static async Task<TestTransport> StartAsync(string transport, IReadOnlyDictionary<string, int>? leaseSeconds = null)
    {
        if (transport == MessagingOptions.Postgres)
        {
            return new TestTransport(transport, null, new Dictionary<string, string> { ["Messaging:Transport"] = MessagingOptions.Postgres });
        }
        var broker = await FakeServiceBus.StartAsync();
        var leases = leaseSeconds ?? new Dictionary<string, int> { [QueueNames.IngestPage] = 120, [QueueNames.IngestConsolidate] = 300, [QueueNames.IngestScan] = 300 };
        var maxDeliveries = new Dictionary<string, int> { [QueueNames.IngestPage] = 5, [QueueNames.IngestConsolidate] = 5, [QueueNames.IngestScan] = 3 };
        foreach (var (queue, lease) in leases)
        {
            broker.Declare(queue, new FakeEntitySettings(TimeSpan.FromSeconds(lease), maxDeliveries.GetValueOrDefault(queue, 5), TimeSpan.FromMinutes(10)));
        }
        return new TestTransport(transport, broker, new Dictionary<string, string>
        {
            ["Messaging:Transport"] = MessagingOptions.ServiceBus,
            ["ConnectionStrings:servicebus"] = broker.ConnectionString,
            // Short long-polls: a stopping worker waits for its open polls before it exits.
            ["Messaging:ServiceBus:ReceiveTimeoutSeconds"] = "2",
            ["Messaging:ServiceBus:RetryDelayMilliseconds"] = "50",
            ["Messaging:Outbox:PollIntervalMilliseconds"] = "200",
            ["Messaging:Outbox:RetryBaseSeconds"] = "0.2",
            ["Messaging:Outbox:RetryMaxSeconds"] = "2",
            ["Messaging:Outbox:DeadLetterSweepSeconds"] = "2",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }
}
