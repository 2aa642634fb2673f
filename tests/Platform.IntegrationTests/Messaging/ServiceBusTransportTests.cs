using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Messaging.ServiceBus;
using Platform.Testing.ServiceBus;

namespace Platform.IntegrationTests.Messaging;

/// <summary>
/// The Service Bus transport end to end against the REST fake: outbox publish → dispatcher relay → peek-lock
/// consumer → settle, with the broker behaviours the transport must cope with (lock expiry, faults, dead letters).
/// </summary>
public sealed class ServiceBusTransportTests(PlatformServers servers)
{
    private const string Queue = MessagingTestHost.Queue;

    [Fact]
    public async Task A_message_published_in_a_committed_transaction_is_relayed_and_handled_once_with_trace_headers()
    {
        await using var context = await StartAsync((_, _) => Task.FromResult(MessageOutcome.Complete));
        var dataSource = context.Host.Services.GetRequiredService<NpgsqlDataSource>();
        using var listener = ListenToPlatformSources();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using (var rolledBack = await connection.BeginTransactionAsync())
            {
                await Publisher(context).PublishAsync(rolledBack, [new OutgoingMessage(Queue, "rolled-back", "x")], CancellationToken.None);
                await rolledBack.RollbackAsync();
            }
            using var producer = new ActivitySource("Platform.Tests").StartActivity("produce");
            await using var committed = await connection.BeginTransactionAsync();
            await Publisher(context).PublishAsync(committed, [new OutgoingMessage(Queue, "committed", """{"n":1}""")], CancellationToken.None);
            await committed.CommitAsync();
        }

        await Eventually.TrueAsync(() => Task.FromResult(context.Script.Seen.Count == 1), TimeSpan.FromSeconds(15), "the handler ran");
        await Eventually.TrueAsync(() => Task.FromResult(context.Broker.Queue(Queue).Completed == 1), TimeSpan.FromSeconds(10), "the message is completed");
        var message = context.Script.Seen.Single();
        message.MessageId.ShouldBe("committed");
        message.Body.ShouldBe("""{"n":1}""");
        message.Attempt.ShouldBe(1);
        message.LockToken.ShouldNotBeNull();
        message.Headers[MessageHeaders.TraceParent].ShouldStartWith("00-");
        message.Headers.ShouldContainKey(MessageHeaders.EnqueuedAt);
        (await ScalarAsync(context, "SELECT count(*) FROM outbox_messages")).ShouldBe(0);
        context.Broker.Queue(Queue).Accepted.ShouldBe(1);
        context.Broker.Queue(Queue).ActiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task A_chain_of_messages_each_published_in_its_handlers_transaction_flows_without_stalls()
    {
        // As pages do: every handler commits its next message through the outbox; a lost or parked message would stall the
        // chain for a lock duration (30 s here).
        const int Links = 40;
        IServiceProvider? services = null;
        await using var context = await StartAsync(async (message, ct) =>
        {
            var n = int.Parse(message.Body, System.Globalization.CultureInfo.InvariantCulture);
            if (n < Links)
            {
                await using var connection = await services!.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await services!.GetRequiredService<IMessagePublisher>().PublishAsync(transaction, [new OutgoingMessage(Queue, $"link-{n + 1}", $"{n + 1}")], ct);
                await transaction.CommitAsync(ct);
            }
            return MessageOutcome.Complete;
        });
        services = context.Host.Services;
        var clock = Stopwatch.StartNew();

        await Publisher(context).PublishAsync([new OutgoingMessage(Queue, "link-1", "1")], CancellationToken.None);

        await Eventually.TrueAsync(() => Task.FromResult(context.Broker.Queue(Queue).Completed == Links), TimeSpan.FromSeconds(60), "the chain ends");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        context.Broker.Queue(Queue).Deliveries.ShouldBe(Links);
    }

    [Fact]
    public async Task Retry_later_schedules_a_copy_that_counts_the_attempt_and_the_last_attempt_goes_to_dead_letters()
    {
        await using var context = await StartAsync((_, _) => Task.FromResult(MessageOutcome.RetryLater("not yet", TimeSpan.FromMilliseconds(300))),
            maxAttempts: 3);

        await Publisher(context).PublishAsync([new OutgoingMessage(Queue, "retry-me", "x")], CancellationToken.None);

        await Eventually.TrueAsync(async () => await ScalarAsync(context, "SELECT count(*) FROM dead_letters") == 1, TimeSpan.FromSeconds(20), "dead-lettered");
        context.Script.Seen.Select(m => m.Attempt).ShouldBe([1, 2, 3]);
        context.Script.Seen.ShouldAllBe(m => m.MessageId == "retry-me");
        (await ScalarAsync(context, "SELECT count(*) FROM dead_letters WHERE message_id = 'retry-me' AND attempts = 3 AND reason LIKE 'Gave up after 3 attempts%'")).ShouldBe(1);
        // Two scheduled copies, each sent with its own broker id so duplicate detection keeps them.
        context.Broker.Queue(Queue).Accepted.ShouldBe(3);
        await Eventually.TrueAsync(() => Task.FromResult(context.Broker.Queue(Queue).ActiveCount == 0), TimeSpan.FromSeconds(5), "the broker queue is empty");
    }

    [Fact]
    public async Task A_handler_longer_than_the_lock_keeps_its_message_through_lock_renewal()
    {
        await using var context = await StartAsync(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4), ct);
            return MessageOutcome.Complete;
        }, lockSeconds: 2);

        await Publisher(context).PublishAsync([new OutgoingMessage(Queue, "slow", "x")], CancellationToken.None);

        await Eventually.TrueAsync(() => Task.FromResult(context.Broker.Queue(Queue).Completed == 1), TimeSpan.FromSeconds(20), "the slow message is completed");
        context.Script.Seen.Count.ShouldBe(1);
        context.Broker.Queue(Queue).Deliveries.ShouldBe(1);
    }

    [Fact]
    public async Task Transient_broker_errors_are_retried_with_backoff_and_a_relay_that_keeps_failing_defers_its_rows()
    {
        await using var context = await StartAsync((_, _) => Task.FromResult(MessageOutcome.Complete), maxRetries: 1);
        // 503 and 429 on the relay's first sends: the pipeline's retry absorbs one, the relay defers the rows with the error.
        context.Broker.FailNext(6, HttpStatusCode.ServiceUnavailable);
        context.Broker.FailNext(2, HttpStatusCode.TooManyRequests);

        await Publisher(context).PublishAsync([new OutgoingMessage(Queue, "through-faults", "x")], CancellationToken.None);

        await Eventually.TrueAsync(() => Task.FromResult(context.Broker.Queue(Queue).Completed == 1), TimeSpan.FromSeconds(30), "handled despite faults");
        context.Script.Seen.Count.ShouldBe(1);
        (await ScalarAsync(context, "SELECT count(*) FROM outbox_messages")).ShouldBe(0);
    }

    [Fact]
    public async Task The_relay_records_failures_on_the_row_and_never_drops_it()
    {
        await using var context = await StartAsync((_, _) => Task.FromResult(MessageOutcome.Complete), maxRetries: 0);
        context.Broker.FailNext(1_000, HttpStatusCode.InternalServerError);

        await Publisher(context).PublishAsync([new OutgoingMessage(Queue, "kept", "x")], CancellationToken.None);

        await Eventually.TrueAsync(async () => await ScalarAsync(context, "SELECT count(*) FROM outbox_messages WHERE send_attempts >= 2 AND last_error LIKE '%HTTP 500%'") == 1,
            TimeSpan.FromSeconds(20), "the row is retried with its error recorded");
        context.Script.Seen.ShouldBeEmpty();
    }

    [Fact]
    public async Task Messages_the_broker_dead_lettered_are_swept_into_the_dead_letters_table()
    {
        await using var context = await StartAsync((_, _) => Task.FromResult(MessageOutcome.Complete), start: false, lockSeconds: 1, maxDeliveries: 1);
        var client = context.Host.Services.GetRequiredService<ServiceBusRestClient>();
        await client.SendAsync(Queue, [new BrokerMessage("poison", "x", null, new Dictionary<string, string>())], CancellationToken.None);
        (await client.ReceiveAsync(Queue, CancellationToken.None, timeoutSeconds: 1)).ShouldNotBeNull(); // and the consumer "dies"
        await Task.Delay(1_200);
        (await client.ReceiveAsync(Queue, CancellationToken.None, timeoutSeconds: 1)).ShouldBeNull();

        var moved = await context.Host.Services.GetRequiredService<BrokerDeadLetterSweep>().SweepAsync([Queue], CancellationToken.None);

        moved.ShouldBe(1);
        (await ScalarAsync(context, "SELECT count(*) FROM dead_letters WHERE message_id = 'poison' AND reason LIKE '%MaxDeliveryCountExceeded%'")).ShouldBe(1);
        context.Broker.Queue(Queue).DeadLetters.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_wrong_key_fails_start_up_calls_with_a_transport_error_not_a_crash()
    {
        await using var broker = await FakeServiceBus.StartAsync();
        broker.Declare(Queue);
        var wrong = new ServiceBusConnection(broker.Endpoint, FakeServiceBus.KeyName, Convert.ToBase64String(new byte[32]));
        var client = new ServiceBusRestClient(wrong, new ServiceBusOptions { MaxRetries = 0 }, TimeProvider.System);

        var error = await Should.ThrowAsync<MessagingTransportException>(() => client.SendAsync(Queue, [new BrokerMessage("m", "x", null, new Dictionary<string, string>())], CancellationToken.None));

        error.Message.ShouldContain("401");
        broker.Unauthorized.ShouldBe(1);
    }

    [Theory]
    [InlineData("https://ns.servicebus.windows.net:443/", "https://ns.servicebus.windows.net/", false)]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc=", "https://ns.servicebus.windows.net/", true)]
    public void Connection_strings_take_the_endpoint_form_and_the_sas_form(string value, string endpoint, bool sas)
    {
        var connection = ServiceBusConnection.Parse(value);

        connection.Endpoint.AbsoluteUri.ShouldBe(endpoint);
        connection.UsesSharedAccessKey.ShouldBe(sas);
        Should.Throw<InvalidOperationException>(() => ServiceBusConnection.Parse("Endpoint=sb://ns/;SharedAccessKeyName=Root"));
        Should.Throw<InvalidOperationException>(() => ServiceBusConnection.Parse(""));
    }

    private async Task<Context> StartAsync(
        Func<ReceivedMessage, CancellationToken, Task<MessageOutcome>> behaviour, int lockSeconds = 30, int maxAttempts = 5, int maxDeliveries = 5,
        int maxRetries = 3, bool start = true)
    {
        var database = await servers.CreateDatabaseAsync();
        var broker = await FakeServiceBus.StartAsync();
        broker.Declare(Queue, new FakeEntitySettings(TimeSpan.FromSeconds(lockSeconds), maxDeliveries, TimeSpan.FromMinutes(10)));
        var host = MessagingTestHost.Build(database, behaviour, new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = MessagingOptions.ServiceBus,
            ["ConnectionStrings:servicebus"] = broker.ConnectionString,
            ["Messaging:ServiceBus:ReceiveTimeoutSeconds"] = "1",
            ["Messaging:ServiceBus:MaxRetries"] = maxRetries.ToString(),
            ["Messaging:ServiceBus:RetryDelayMilliseconds"] = "20",
            ["Messaging:Outbox:PollIntervalMilliseconds"] = "100",
            ["Messaging:Outbox:RetryBaseSeconds"] = "0.1",
            ["Messaging:Outbox:RetryMaxSeconds"] = "0.5",
            ["Messaging:Defaults:LeaseSeconds"] = lockSeconds.ToString(),
            ["Messaging:Defaults:MaxAttempts"] = maxAttempts.ToString(),
        });
        if (start)
        {
            await host.StartAsync();
        }
        return new Context(host, broker, host.Services.GetRequiredService<HandlerScript>(), database);
    }

    private static IMessagePublisher Publisher(Context context) => context.Host.Services.GetRequiredService<IMessagePublisher>();

    private static async Task<long> ScalarAsync(Context context, string sql)
    {
        await using var connection = await context.Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private static ActivityListener ListenToPlatformSources()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Platform", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private sealed record Context(IHost Host, FakeServiceBus Broker, HandlerScript Script, TestDatabase Database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
            await Broker.DisposeAsync();
        }
    }
}
