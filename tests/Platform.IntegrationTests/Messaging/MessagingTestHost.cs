using Microsoft.Extensions.Configuration;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Infrastructure.Messaging;

namespace Platform.IntegrationTests.Messaging;

/// <summary>A worker-like host consuming one queue with <see cref="ScriptedHandler"/> over a test database (and the transport the settings select).</summary>
public static class MessagingTestHost
{
    public const string Queue = "test.queue";

    public static IHost Build(TestDatabase database, Func<ReceivedMessage, CancellationToken, Task<MessageOutcome>> behaviour,
        Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:PollIntervalMilliseconds"] = "200",
            ["Messaging:Defaults:RetryBaseSeconds"] = "0.05",
            ["Messaging:Defaults:RetryMaxSeconds"] = "0.2",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        builder.Services.AddSingleton(new HandlerScript(behaviour));
        builder.Services.AddQueueConsumer<ScriptedHandler>(Queue);
        // The outbox relay: idle with Postgres, the publisher's other half with Service Bus.
        builder.Services.AddOutboxDispatcher();
        return builder.Build();
    }
}

public sealed record HandlerScript(Func<ReceivedMessage, CancellationToken, Task<MessageOutcome>> Behaviour)
{
    public ConcurrentQueue<ReceivedMessage> Seen { get; } = new();
}

public sealed class ScriptedHandler(HandlerScript script) : IMessageHandler
{
    public Task<MessageOutcome> HandleAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        script.Seen.Enqueue(message);
        return script.Behaviour(message, cancellationToken);
    }
}
