using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Testing.ServiceBus;

/// <summary>
/// An in-process fake of the Service Bus REST runtime API (Kestrel on a loopback port, reachable from worker
/// processes): send (201; batch as <c>application/vnd.microsoft.servicebus.json</c>; 413 above 256 KB), peek-lock on
/// <c>{queue}/messages/head?timeout=N</c> (201 with <c>BrokerProperties</c>, <c>Location</c> and custom properties as
/// headers, 204 after the timeout), complete (DELETE), unlock (PUT) and renew (POST) on the lock URI (200, or 404
/// when the lock is gone), 410 for an unknown queue, 401 without a valid SAS or Bearer <c>Authorization</c>. Queue
/// semantics live in <see cref="FakeEntity"/>. Faults can be injected (<see cref="FailNext"/>) to exercise retries.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    public const string KeyName = "RootManageSharedAccessKey";
    public const int MaxRequestBytes = 256 * 1024;

    private static readonly HashSet<string> StandardHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Content-Type", "Content-Length", "Host", "BrokerProperties", "Accept", "Accept-Encoding",
        "Connection", "User-Agent", "traceparent", "tracestate", "Request-Id", "Expect",
    };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeEntity> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HttpStatusCode> _faults = new();
    private readonly TimeProvider _time;

    private FakeServiceBus(WebApplication app, TimeProvider time, string key)
    {
        _app = app;
        _time = time;
        Key = key;
    }

    public string Key { get; }
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>A SAS connection string for <c>ConnectionStrings:servicebus</c> (http: the fake has no TLS).</summary>
    public string ConnectionString => $"Endpoint={Endpoint};SharedAccessKeyName={KeyName};SharedAccessKey={Key}";

    private int _requests;
    private int _unauthorized;

    public int Requests => Volatile.Read(ref _requests);
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public static async Task<FakeServiceBus> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * MaxRequestBytes);
        var app = builder.Build();
        var fake = new FakeServiceBus(app, time ?? TimeProvider.System, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        fake.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return fake;
    }

    /// <summary>Declares a queue (unknown queues answer 410, as on the broker).</summary>
    public FakeEntity Declare(string name, FakeEntitySettings? settings = null) =>
        _queues.GetOrAdd(name, n => new FakeEntity(n, settings ?? FakeEntitySettings.Default, _time));

    public FakeEntity Queue(string name) => _queues.TryGetValue(name, out var queue) ? queue : throw new KeyNotFoundException($"Queue {name} is not declared.");

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="status"/> (e.g. 503, 429) before reaching a queue.</summary>
    public void FailNext(int count, HttpStatusCode status)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(status);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (_faults.TryDequeue(out var fault))
        {
            if (fault == HttpStatusCode.TooManyRequests)
            {
                context.Response.Headers.RetryAfter = "0";
            }
            context.Response.StatusCode = (int)fault;
            return;
        }
        if (!IsAuthorized(context.Request.Headers.Authorization.ToString()))
        {
            Interlocked.Increment(ref _unauthorized);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var segments = context.Request.Path.Value!.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var deadLetterQueue = segments.Length > 1 && segments[1] == "$deadletterqueue";
        if (deadLetterQueue)
        {
            segments = [segments[0], .. segments[2..]];
        }
        if (segments.Length < 2 || segments[1] != "messages" || !_queues.TryGetValue(segments[0], out var queue))
        {
            context.Response.StatusCode = segments.Length >= 2 && segments[1] == "messages" ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound;
            return;
        }
        var method = context.Request.Method;
        switch (segments.Length)
        {
            case 2 when method == "POST" && !deadLetterQueue:
                await SendAsync(context, queue);
                break;
            case 3 when method == "POST" && segments[2] == "head":
                await PeekLockAsync(context, queue, deadLetterQueue);
                break;
            case 4 when method is "DELETE" or "PUT" or "POST" && Guid.TryParse(segments[3], out var lockToken):
                var action = method switch { "DELETE" => FakeEntity.LockAction.Complete, "PUT" => FakeEntity.LockAction.Unlock, _ => FakeEntity.LockAction.Renew };
                context.Response.StatusCode = queue.Apply(segments[2], lockToken, action, deadLetterQueue) ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
        }
    }

    private async Task SendAsync(HttpContext context, FakeEntity queue)
    {
        var body = await ReadBodyAsync(context.Request);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        try
        {
            if (context.Request.ContentType?.StartsWith("application/vnd.microsoft.servicebus.json", StringComparison.OrdinalIgnoreCase) == true)
            {
                foreach (var item in JsonNode.Parse(body)!.AsArray())
                {
                    var properties = item!["UserProperties"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.ToString()) ?? [];
                    Accept(queue, item["BrokerProperties"]?.AsObject(), item["Body"]!.GetValue<string>(), properties);
                }
            }
            else
            {
                var broker = context.Request.Headers["BrokerProperties"].ToString();
                var properties = context.Request.Headers.Where(h => !StandardHeaders.Contains(h.Key) && !h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key, h => Unquote(h.Value.ToString()));
                Accept(queue, broker.Length > 0 ? JsonNode.Parse(broker)!.AsObject() : null, body, properties);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private void Accept(FakeEntity queue, JsonObject? broker, string body, Dictionary<string, string> properties)
    {
        var messageId = broker?["MessageId"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N");
        if (messageId.Length > 128)
        {
            throw new FormatException("MessageId longer than 128 characters.");
        }
        DateTimeOffset? scheduled = broker?["ScheduledEnqueueTimeUtc"]?.GetValue<string>() is { } at
            ? DateTimeOffset.ParseExact(at, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        queue.Send(messageId, body, properties, scheduled);
    }

    private async Task PeekLockAsync(HttpContext context, FakeEntity queue, bool deadLetterQueue)
    {
        var timeout = int.TryParse(context.Request.Query["timeout"], CultureInfo.InvariantCulture, out var seconds) ? seconds : 60;
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(timeout, 0, 230));
        FakeMessage? message;
        while ((message = deadLetterQueue ? queue.TryLockDeadLetter() : queue.TryLock()) is null)
        {
            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            // A send or unlock wakes the poll at once; the cap also catches expiring locks and scheduled messages.
            await queue.WaitForChangeAsync(remaining < TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100), context.RequestAborted)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.ContentType = "application/atom+xml;type=entry;charset=utf-8";
        var broker = new JsonObject
        {
            ["DeliveryCount"] = message.DeliveryCount,
            ["EnqueuedTimeUtc"] = message.EnqueuedAt.UtcDateTime.ToString("R", CultureInfo.InvariantCulture),
            ["LockToken"] = message.LockToken!.Value.ToString(),
            ["LockedUntilUtc"] = message.LockedUntil.UtcDateTime.ToString("R", CultureInfo.InvariantCulture),
            ["MessageId"] = message.MessageId,
            ["SequenceNumber"] = message.SequenceNumber,
            ["State"] = "Active",
        };
        if (message.ScheduledAt is { } scheduled)
        {
            broker["ScheduledEnqueueTimeUtc"] = scheduled.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        }
        if (message.DeadLetterReason is { } reason)
        {
            broker["DeadLetterReason"] = reason;
        }
        response.Headers["BrokerProperties"] = broker.ToJsonString();
        var path = deadLetterQueue ? $"{queue.Name}/$deadletterqueue" : queue.Name;
        response.Headers.Location = new Uri(Endpoint, $"{path}/messages/{message.SequenceNumber}/{message.LockToken}").AbsoluteUri;
        foreach (var (name, value) in message.Properties)
        {
            response.Headers[name] = JsonSerializer.Serialize(value);
        }
        await response.WriteAsync(message.Body);
    }

    /// <summary>SAS tokens are verified (audience, expiry, HMAC with the namespace key); a Bearer token only needs to be present.</summary>
    private bool IsAuthorized(string authorization)
    {
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return authorization.Length > "Bearer ".Length;
        }
        if (!authorization.StartsWith("SharedAccessSignature ", StringComparison.Ordinal))
        {
            return false;
        }
        var fields = authorization["SharedAccessSignature ".Length..].Split('&')
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!fields.TryGetValue("sr", out var audience) || !fields.TryGetValue("sig", out var signature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var keyName)
            || Uri.UnescapeDataString(keyName) != KeyName || !long.TryParse(expiry, out var expires)
            || expires < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes($"{audience}\n{expiry}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(Uri.UnescapeDataString(signature)));
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.Length > MaxRequestBytes ? null : Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? JsonSerializer.Deserialize<string>(value) ?? "" : value;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
