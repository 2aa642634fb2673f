using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Messaging.ServiceBus;

/// <summary>
/// The documented Service Bus REST runtime API over Azure.Core's HTTP pipeline (ADR 0028): send (one message or a
/// batch as <c>application/vnd.microsoft.servicebus.json</c>, 201), peek-lock on <c>messages/head?timeout=N</c>
/// (201 with a message, 204 when none came), complete (DELETE the lock, 200), unlock (PUT, 200), renew the lock
/// (POST, 200); 404/410 on a lock URI mean the lock is lost. The pipeline retries network errors, 408, 429 and 5xx
/// with exponential backoff; what still fails surfaces as <see cref="MessagingTransportException"/>.
/// </summary>
public sealed class ServiceBusRestClient
{
    public const string TokenScope = "https://servicebus.azure.net/.default";
    public const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    /// <summary>Custom properties carrying our headers across the broker, besides <see cref="MessageHeaders"/>.</summary>
    public const string AttemptsBeforeProperty = "platform-attempts-before";
    public const string MessageIdProperty = "platform-message-id";

    /// <summary>Service Bus accepts message ids of up to 128 characters.</summary>
    private const int MaxBrokerMessageId = 128;

    private static readonly string[] CarriedProperties =
        [MessageHeaders.TraceParent, MessageHeaders.TraceState, MessageHeaders.EnqueuedAt, AttemptsBeforeProperty, MessageIdProperty];

    private readonly HttpPipeline _pipeline;
    private readonly HttpPipeline _receivePipeline;
    private readonly Uri _endpoint;
    private readonly ServiceBusOptions _options;

    public ServiceBusRestClient(IConfiguration configuration, IOptions<ServiceBusOptions> options, TimeProvider time)
        : this(ServiceBusConnection.Parse(configuration.GetConnectionString(ServiceBusOptions.ConnectionName)), options.Value, time)
    {
    }

    public ServiceBusRestClient(ServiceBusConnection connection, ServiceBusOptions options, TimeProvider time)
    {
        _endpoint = connection.Endpoint;
        _options = options;
        var clientOptions = new RestClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(options.MaxRetryDelaySeconds);
        // Above the long poll, so a waiting peek-lock is not taken for a dead connection.
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.ReceiveTimeoutSeconds + 30);
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        HttpPipelinePolicy authentication = connection.UsesSharedAccessKey
            ? new SharedAccessSignaturePolicy(connection.Endpoint, connection.KeyName!, connection.Key!, time)
            : new BearerTokenAuthenticationPolicy(new DefaultAzureCredential(), TokenScope);
        // Long polls hold a connection for up to ReceiveTimeoutSeconds each: they get their own connection pool, so
        // sends, completes and renewals never queue behind them (a settle stuck for a poll's length costs its lock time).
        clientOptions.Transport = new HttpClientTransport(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseCookies = false });
        _pipeline = HttpPipelineBuilder.Build(clientOptions, authentication);
        clientOptions.Transport = new HttpClientTransport(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseCookies = false });
        _receivePipeline = HttpPipelineBuilder.Build(clientOptions, authentication);
    }

    public Uri Endpoint => _endpoint;

    /// <summary>Sends messages in batch calls bounded by count and bytes; duplicates (same broker message id) are dropped by the broker.</summary>
    public async Task SendAsync(string queue, IReadOnlyList<BrokerMessage> messages, CancellationToken cancellationToken)
    {
        var batch = new JsonArray();
        var bytes = 2;
        foreach (var message in messages)
        {
            var item = ToJson(message);
            var size = Encoding.UTF8.GetByteCount(item.ToJsonString()) + 1;
            if (batch.Count > 0 && (batch.Count >= _options.MaxBatchMessages || bytes + size > _options.MaxBatchBytes))
            {
                await SendBatchAsync(queue, batch, cancellationToken);
                (batch, bytes) = ([], 2);
            }
            batch.Add(item);
            bytes += size;
        }
        if (batch.Count > 0)
        {
            await SendBatchAsync(queue, batch, cancellationToken);
        }
    }

    private async Task SendBatchAsync(string queue, JsonArray batch, CancellationToken cancellationToken)
    {
        using var message = Create(RequestMethod.Post, $"{queue}/messages");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, BatchContentType);
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(batch.ToJsonString()));
        var status = await SendAsync(message, cancellationToken);
        if (status != (int)HttpStatusCode.Created)
        {
            throw Failure("send to", queue, message);
        }
    }

    /// <summary>The dead-letter subqueue of <paramref name="queue"/>, where the broker moves messages past their max delivery count.</summary>
    public static string DeadLetterQueue(string queue) => $"{queue}/$deadletterqueue";

    /// <summary>Peek-lock: waits up to the receive timeout for one message; null when none came (204).</summary>
    public async Task<BrokerDelivery?> ReceiveAsync(string queue, CancellationToken cancellationToken, int? timeoutSeconds = null)
    {
        var seconds = (timeoutSeconds ?? _options.ReceiveTimeoutSeconds).ToString(CultureInfo.InvariantCulture);
        using var message = Create(RequestMethod.Post, $"{queue}/messages/head?timeout={seconds}", _receivePipeline);
        message.Request.Content = RequestContent.Create(Array.Empty<byte>());
        var status = await SendAsync(_receivePipeline, message, cancellationToken);
        if (status == (int)HttpStatusCode.NoContent)
        {
            return null;
        }
        if (status != (int)HttpStatusCode.Created || !message.Response.Headers.TryGetValue("BrokerProperties", out var broker))
        {
            throw Failure("receive from", queue, message);
        }
        var properties = JsonNode.Parse(broker)!.AsObject();
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in CarriedProperties)
        {
            if (message.Response.Headers.TryGetValue(name, out var value))
            {
                custom[name] = Unquote(value);
            }
        }
        return new BrokerDelivery(
            properties["SequenceNumber"]!.GetValue<long>(),
            properties["LockToken"]!.GetValue<string>(),
            properties["MessageId"]?.GetValue<string>() ?? "",
            properties["DeliveryCount"]!.GetValue<int>(),
            ParseDate(properties["EnqueuedTimeUtc"]?.GetValue<string>()) ?? DateTimeOffset.UtcNow,
            ParseDate(properties["ScheduledEnqueueTimeUtc"]?.GetValue<string>()),
            ParseDate(properties["LockedUntilUtc"]?.GetValue<string>()),
            properties["DeadLetterReason"]?.GetValue<string>(),
            message.Response.Content.ToString(),
            custom);
    }

    /// <summary>Completes (deletes) a locked message; false when the lock was lost (404/410).</summary>
    public Task<bool> CompleteAsync(string queue, long sequenceNumber, string lockToken) => LockCallAsync(RequestMethod.Delete, queue, sequenceNumber, lockToken);

    /// <summary>Abandons the lock: the message is available again at once (its delivery count stays counted).</summary>
    public Task<bool> UnlockAsync(string queue, long sequenceNumber, string lockToken) => LockCallAsync(RequestMethod.Put, queue, sequenceNumber, lockToken);

    public Task<bool> RenewLockAsync(string queue, long sequenceNumber, string lockToken) => LockCallAsync(RequestMethod.Post, queue, sequenceNumber, lockToken);

    private async Task<bool> LockCallAsync(RequestMethod method, string queue, long sequenceNumber, string lockToken)
    {
        // Settling runs while the host stops too: no stopping token, the pipeline's timeouts bound it.
        using var message = Create(method, $"{queue}/messages/{sequenceNumber.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(lockToken)}");
        if (method != RequestMethod.Delete)
        {
            message.Request.Content = RequestContent.Create(Array.Empty<byte>());
        }
        var status = await SendAsync(message, CancellationToken.None);
        return status switch
        {
            (int)HttpStatusCode.OK => true,
            (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Gone => false,
            _ => throw Failure($"{method} the lock of a message of", queue, message),
        };
    }

    /// <summary>A broker message id of at most 128 characters: ours when it fits, else its SHA-256 (the real id travels as a property).</summary>
    public static string BrokerMessageId(string messageId) =>
        messageId.Length <= MaxBrokerMessageId ? messageId : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));

    private static JsonObject ToJson(BrokerMessage message)
    {
        var broker = new JsonObject { ["MessageId"] = BrokerMessageId(message.MessageId) };
        if (message.ScheduledEnqueueTimeUtc is { } at)
        {
            broker["ScheduledEnqueueTimeUtc"] = at.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        }
        var user = new JsonObject();
        foreach (var (name, value) in message.Properties)
        {
            user[name] = value;
        }
        if (message.MessageId.Length > MaxBrokerMessageId)
        {
            user[MessageIdProperty] = message.MessageId;
        }
        return new JsonObject { ["Body"] = message.Body, ["BrokerProperties"] = broker, ["UserProperties"] = user };
    }

    private HttpMessage Create(RequestMethod method, string path, HttpPipeline? pipeline = null)
    {
        var message = (pipeline ?? _pipeline).CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(_endpoint, path));
        return message;
    }

    private Task<int> SendAsync(HttpMessage message, CancellationToken cancellationToken) => SendAsync(_pipeline, message, cancellationToken);

    private static async Task<int> SendAsync(HttpPipeline pipeline, HttpMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.SendAsync(message, cancellationToken);
            return message.Response.Status;
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MessagingTransportException($"Service Bus call {message.Request.Method} {message.Request.Uri.Path} failed: {e.Message}", e);
        }
    }

    private static MessagingTransportException Failure(string action, string queue, HttpMessage message) =>
        new($"Service Bus refused to {action} queue '{queue}': HTTP {message.Response.Status} {message.Response.Content}");

    /// <summary>Custom properties arrive as header values; strings are JSON-quoted.</summary>
    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? JsonSerializer.Deserialize<string>(value) ?? "" : value;

    private static DateTimeOffset? ParseDate(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;

    private sealed class RestClientOptions : ClientOptions;
}

/// <summary>A message to send: our id (de-duplication), body, when it becomes visible, and custom properties.</summary>
public sealed record BrokerMessage(string MessageId, string Body, DateTimeOffset? ScheduledEnqueueTimeUtc, IReadOnlyDictionary<string, string> Properties);

/// <summary>A peek-locked message as the broker returned it.</summary>
public sealed record BrokerDelivery(
    long SequenceNumber, string LockToken, string MessageId, int DeliveryCount, DateTimeOffset EnqueuedAt, DateTimeOffset? ScheduledAt,
    DateTimeOffset? LockedUntil, string? DeadLetterReason, string Body, IReadOnlyDictionary<string, string> Properties);
