using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Platform.Infrastructure.Messaging.ServiceBus;
using Platform.Testing.ServiceBus;

namespace Platform.IntegrationTests.Messaging;

/// <summary>
/// The fake against the documented Service Bus REST contract, over raw HTTP: what the transport relies on must
/// hold here, or the transport tests would prove nothing.
/// </summary>
public sealed class ServiceBusFakeContractTests : IAsyncLifetime
{
    private const string Queue = "contract.queue";
    private FakeServiceBus _broker = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _broker = await FakeServiceBus.StartAsync();
        _broker.Declare(Queue, new FakeEntitySettings(TimeSpan.FromSeconds(1), MaxDeliveryCount: 2, DuplicateDetectionWindow: TimeSpan.FromMinutes(10)));
        _http = new HttpClient { BaseAddress = _broker.Endpoint };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization",
            SharedAccessSignaturePolicy.Create(_broker.Endpoint, FakeServiceBus.KeyName, _broker.Key, DateTimeOffset.UtcNow.AddHours(1)));
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_refused_with_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _broker.Endpoint };
        (await anonymous.PostAsync($"{Queue}/messages", new StringContent("x"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var forged = new HttpClient { BaseAddress = _broker.Endpoint };
        forged.DefaultRequestHeaders.TryAddWithoutValidation("Authorization",
            SharedAccessSignaturePolicy.Create(_broker.Endpoint, FakeServiceBus.KeyName, Convert.ToBase64String(new byte[32]), DateTimeOffset.UtcNow.AddHours(1)));
        (await forged.PostAsync($"{Queue}/messages", new StringContent("x"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var bearer = new HttpClient { BaseAddress = _broker.Endpoint };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "token");
        (await bearer.PostAsync($"{Queue}/messages", new StringContent("x"))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Send_is_201_peek_lock_is_201_with_broker_properties_and_location_and_delete_completes_once()
    {
        var send = new HttpRequestMessage(HttpMethod.Post, $"{Queue}/messages") { Content = new StringContent("hello") };
        send.Headers.TryAddWithoutValidation("BrokerProperties", """{"MessageId":"m-1"}""");
        send.Headers.TryAddWithoutValidation("traceparent-copy", "\"00-abc\"");
        (await _http.SendAsync(send)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var head = await _http.PostAsync($"{Queue}/messages/head?timeout=1", null);

        head.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await head.Content.ReadAsStringAsync()).ShouldBe("hello");
        var broker = JsonDocument.Parse(head.Headers.GetValues("BrokerProperties").Single()).RootElement;
        broker.GetProperty("MessageId").GetString().ShouldBe("m-1");
        broker.GetProperty("DeliveryCount").GetInt32().ShouldBe(1);
        head.Headers.GetValues("traceparent-copy").Single().ShouldBe("\"00-abc\"");
        var location = head.Headers.Location!;
        location.AbsolutePath.ShouldBe($"/{Queue}/messages/{broker.GetProperty("SequenceNumber").GetInt64()}/{broker.GetProperty("LockToken").GetString()}");

        (await _http.DeleteAsync(location)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _http.DeleteAsync(location)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _http.PostAsync($"{Queue}/messages/head?timeout=1", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_empty_queue_answers_204_after_the_timeout_and_an_unknown_queue_410()
    {
        var started = DateTime.UtcNow;
        (await _http.PostAsync($"{Queue}/messages/head?timeout=1", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (DateTime.UtcNow - started).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));

        (await _http.PostAsync("no.such.queue/messages/head?timeout=1", null)).StatusCode.ShouldBe(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Batch_send_accepts_json_drops_duplicate_ids_and_refuses_bodies_over_256_kb()
    {
        var batch = """[{"Body":"a","BrokerProperties":{"MessageId":"dup"},"UserProperties":{"p":"1"}},{"Body":"b","BrokerProperties":{"MessageId":"dup"}},{"Body":"c","BrokerProperties":{"MessageId":"other"}}]""";
        (await _http.PostAsync($"{Queue}/messages", Batch(batch))).StatusCode.ShouldBe(HttpStatusCode.Created);

        _broker.Queue(Queue).ActiveCount.ShouldBe(2);
        _broker.Queue(Queue).DuplicatesDropped.ShouldBe(1);
        var big = JsonSerializer.Serialize(new[] { new { Body = new string('x', 300 * 1024) } });
        (await _http.PostAsync($"{Queue}/messages", Batch(big))).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_lock_expires_after_the_lock_duration_then_the_message_is_redelivered_and_dead_lettered_past_max_deliveries()
    {
        (await _http.PostAsync($"{Queue}/messages", Batch("""[{"Body":"poison","BrokerProperties":{"MessageId":"p"}}]"""))).EnsureSuccessStatusCode();

        var first = await _http.PostAsync($"{Queue}/messages/head?timeout=1", null);
        var renewed = await _http.PostAsync(first.Headers.Location, null);
        renewed.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(1_300);
        (await _http.PostAsync(first.Headers.Location, null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var second = await _http.PostAsync($"{Queue}/messages/head?timeout=3", null);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        JsonDocument.Parse(second.Headers.GetValues("BrokerProperties").Single()).RootElement.GetProperty("DeliveryCount").GetInt32().ShouldBe(2);
        (await _http.DeleteAsync(first.Headers.Location)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await Task.Delay(1_300);

        // Two deliveries used up: the broker moves it to the dead-letter subqueue instead of a third.
        (await _http.PostAsync($"{Queue}/messages/head?timeout=1", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var dead = await _http.PostAsync($"{Queue}/$deadletterqueue/messages/head?timeout=1", null);
        dead.StatusCode.ShouldBe(HttpStatusCode.Created);
        JsonDocument.Parse(dead.Headers.GetValues("BrokerProperties").Single()).RootElement.GetProperty("DeadLetterReason").GetString().ShouldBe("MaxDeliveryCountExceeded");
        (await _http.DeleteAsync(dead.Headers.Location)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _broker.Queue(Queue).DeadLetters.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unlock_makes_a_message_available_at_once_and_scheduled_messages_wait_for_their_time()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R");
        (await _http.PostAsync($"{Queue}/messages", Batch(JsonSerializer.Serialize(new object[]
        {
            new { Body = "later", BrokerProperties = new { MessageId = "s", ScheduledEnqueueTimeUtc = at } },
            new { Body = "now", BrokerProperties = new { MessageId = "n" } },
        })))).EnsureSuccessStatusCode();

        var now = await _http.PostAsync($"{Queue}/messages/head?timeout=1", null);
        (await now.Content.ReadAsStringAsync()).ShouldBe("now");
        (await _http.PutAsync(now.Headers.Location, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await _http.PostAsync($"{Queue}/messages/head?timeout=1", null);
        (await again.Content.ReadAsStringAsync()).ShouldBe("now");
        (await _http.DeleteAsync(again.Headers.Location)).EnsureSuccessStatusCode();

        (await _http.PostAsync($"{Queue}/messages/head?timeout=0", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var later = await _http.PostAsync($"{Queue}/messages/head?timeout=5", null);
        (await later.Content.ReadAsStringAsync()).ShouldBe("later");
    }

    private static StringContent Batch(string json) => new(json, Encoding.UTF8, ServiceBusRestClient.BatchContentType);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _broker.DisposeAsync();
    }
}
