using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Platform.Testing;

namespace Platform.UnitTests.Telemetry;

/// <summary>
/// ServiceDefaults exports to Azure Monitor exactly when APPLICATIONINSIGHTS_CONNECTION_STRING is set. The
/// connection string points the exporter at a local listener that answers like the ingestion endpoint, so
/// the test sees the real HTTP requests and needs no network.
/// </summary>
public sealed class AzureMonitorExporterTests : IAsyncDisposable
{
    private static readonly ActivitySource Source = new("Platform.UnitTests.Telemetry");
    private readonly HttpListener _ingestion = new();
    private readonly List<(string Path, string Body)> _received = [];
    private readonly Task _serving;
    private readonly string _endpoint;

    public AzureMonitorExporterTests()
    {
        // Statsbeat would report to Microsoft's own endpoint, which this machine cannot reach.
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        _endpoint = $"http://127.0.0.1:{FreePort.Next()}/";
        _ingestion.Prefixes.Add(_endpoint);
        _ingestion.Start();
        _serving = ServeAsync();
    }

    [Fact]
    public async Task Spans_reach_application_insights_when_the_connection_string_is_set()
    {
        var connectionString = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={_endpoint};LiveEndpoint={_endpoint}";
        using var host = BuildHost(new() { [Extensions.ApplicationInsightsConnectionStringKey] = connectionString }, out var services);
        var azureMonitor = typeof(Azure.Monitor.OpenTelemetry.Exporter.AzureMonitorExporterOptions).Assembly;
        services.ShouldContain(d => FromAssembly(d, azureMonitor));
        await host.StartAsync(TestContext.Current.CancellationToken);

        var name = $"exported-{Guid.NewGuid():N}";
        var tracer = host.Services.GetRequiredService<TracerProvider>();
        // Spans until one arrives: the exporter's sampler may be rate-limited and start with an empty budget, and the
        // flush can end before the listener has stored the body. Roots, so no ambient activity of the runner is a parent.
        await Eventually.TrueAsync(() =>
        {
            Activity.Current = null;
            Source.StartActivity(name)!.Dispose();
            tracer.ForceFlush(5_000);
            return Task.FromResult(TrackRequests().Any(body => body.Contains(name, StringComparison.Ordinal)));
        }, TimeSpan.FromSeconds(60), "a span is posted to the ingestion endpoint");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Nothing_is_sent_and_no_exporter_is_registered_without_the_connection_string()
    {
        using var host = BuildHost([], out var services);
        await host.StartAsync(TestContext.Current.CancellationToken);

        Source.StartActivity($"not-exported-{Guid.NewGuid():N}")!.Dispose();
        host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000).ShouldBeTrue();

        var azureMonitor = typeof(Azure.Monitor.OpenTelemetry.Exporter.AzureMonitorExporterOptions).Assembly;
        services.ShouldNotContain(d => FromAssembly(d, azureMonitor), "an Azure Monitor service was registered");
        TrackRequests().ShouldBeEmpty();
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings, out IReadOnlyList<ServiceDescriptor> services)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureOpenTelemetry();
        services = [.. builder.Services];
        return builder.Build();
    }

    private static bool FromAssembly(ServiceDescriptor d, System.Reflection.Assembly assembly) =>
        d.ServiceType.Assembly == assembly
        || (!d.IsKeyedService && (d.ImplementationType?.Assembly == assembly
            || d.ImplementationInstance?.GetType().Assembly == assembly
            || d.ImplementationFactory?.Method.DeclaringType?.Assembly == assembly));

    private List<string> TrackRequests()
    {
        lock (_received)
        {
            return [.. _received.Where(r => r.Path.Contains("track", StringComparison.OrdinalIgnoreCase)).Select(r => r.Body)];
        }
    }

    private async Task ServeAsync()
    {
        while (_ingestion.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _ingestion.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped by DisposeAsync
            }
            Stream body = context.Request.InputStream;
            if (context.Request.Headers["Content-Encoding"] == "gzip")
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }
            using var reader = new StreamReader(body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            lock (_received)
            {
                _received.Add((context.Request.Url!.AbsolutePath, text));
            }
            // The ingestion API's answer: everything accepted.
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            var answer = Encoding.UTF8.GetBytes($$"""{"itemsReceived":{{items}},"itemsAccepted":{{items}},"errors":[]}""");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ingestion.Stop();
        _ingestion.Close();
        await _serving;
    }
}
