using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Health;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire service-defaults template, rebuilt on the packages this environment has:
/// telemetry, health checks, service discovery and resilient HttpClients for every service.
/// </summary>
public static class Extensions
{
    public const string LivenessPath = "/health/live";
    public const string ReadinessPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>The setting Azure sets for Application Insights (a Key Vault reference in infra/).</summary>
    public const string ApplicationInsightsConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The standard OpenTelemetry setting naming an OTLP collector (the Aspire dashboard sets it).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Whether traces leave the process: an OTLP collector or Application Insights is configured.</summary>
    public static bool IsTraceExportConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]) || !string.IsNullOrWhiteSpace(configuration[ApplicationInsightsConnectionStringKey]);

    /// <summary>Everything a service gets: basic defaults plus service discovery and resilient HttpClients.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>Health checks and telemetry only (for processes that make no outbound HTTP calls of their own).</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddDefaultHealthChecks();
        builder.AddStructuredConsoleLogs();
        builder.ConfigureOpenTelemetry();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                .AddMeter("Platform.*")
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource("Platform.*")
                    // Health and metrics scrapes would drown the real traffic.
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsInfrastructurePath(context.Request.Path));
                // A span per outgoing HTTP call is recorded only when it goes somewhere: unexported, the worker's supplier
                // calls and their spans cost CPU for nothing (docs/performance.md). Our own spans always carry the context.
                if (IsTraceExportConfigured(builder.Configuration))
                {
                    tracing.AddHttpClientInstrumentation();
                }
            });

        // The exporter switches on only where a collector is configured (Aspire dashboard, Azure, a local collector).
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        // In Azure, traces, metrics and logs also go to Application Insights, alongside any OTLP collector.
        var applicationInsights = builder.Configuration[ApplicationInsightsConnectionStringKey];
        if (!string.IsNullOrWhiteSpace(applicationInsights))
        {
            builder.Services.AddOpenTelemetry().UseAzureMonitorExporter(options => options.ConnectionString = applicationInsights);
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddOptions<HealthDetailOptions>().BindConfiguration(HealthDetailOptions.SectionName)
            .Validate(options => !options.Validate().Any(), "Health:DetailNetworks holds an entry that is not a CIDR network (e.g. 10.0.0.0/8).")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Maps <c>/health/live</c> (the process only), <c>/health/ready</c> (every dependency; per-component detail for
    /// operators only, see <see cref="HealthDetailOptions"/>) and the Prometheus <c>/metrics</c> endpoint.
    /// </summary>
    /// <remarks>
    /// Anonymous on purpose, and said so explicitly: probes and scrapers carry no API key. In production, bind or
    /// protect <c>/metrics</c> at the ingress.
    /// </remarks>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        return app;
    }

    private static bool IsInfrastructurePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}
