using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.IntegrationTests.Alerting;

/// <summary>
/// A real HTTP receiver on loopback (Kestrel) standing in for a webhook, Slack, Teams or PagerDuty endpoint: records
/// every JSON body per path; a path given in <see cref="FailFirst"/> answers 500 that many times before it accepts.
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, JsonElement Body)> _received = new();
    private readonly ConcurrentDictionary<string, int> _refused = new();

    private AlertReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Path → how many requests to refuse with 500 before accepting.</summary>
    public ConcurrentDictionary<string, int> FailFirst { get; } = new();

    public static async Task<AlertReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new AlertReceiver(app, $"http://127.0.0.1:{port}");
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (receiver.FailFirst.TryGetValue(path, out var failures) && receiver._refused.AddOrUpdate(path, 1, (_, n) => n + 1) <= failures)
            {
                return Results.StatusCode(500);
            }
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            receiver._received.Enqueue((path, body));
            return Results.Accepted();
        });
        await app.StartAsync();
        return receiver;
    }

    public string Url(string path) => BaseUrl + path;

    /// <summary>The bodies accepted on <paramref name="path"/>, in arrival order.</summary>
    public IReadOnlyList<JsonElement> At(string path) => _received.Where(r => r.Path == path).Select(r => r.Body).ToList();

    /// <summary>How many requests <paramref name="path"/> refused.</summary>
    public int RefusedAt(string path) => Math.Min(_refused.GetValueOrDefault(path), FailFirst.GetValueOrDefault(path));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
