using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Health;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire Npgsql client integration, rebuilt: a pooled data source (with Entra token authentication when
/// <c>Aspire:Npgsql:UseEntraAuthentication</c> is on), a health check, traces and metrics.
/// </summary>
public static class NpgsqlExtensions
{
    /// <summary>Registers a singleton <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{connectionName}</c>.</summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var settings = new NpgsqlSettings();
        builder.Configuration.GetSection(NpgsqlSettings.SectionName).Bind(settings);
        settings.Validate();
        var connectionString = settings.ApplyPoolDefaults(connectionName, ConnectionStrings.Require(builder.Configuration, connectionName));
        if (settings.UseEntraAuthentication)
        {
            NpgsqlEntraAuthentication.Validate(connectionName, new NpgsqlConnectionStringBuilder(connectionString));
        }

        builder.Services.AddSingleton(sp =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            dataSource.Name = connectionName;
            if (settings.UseEntraAuthentication)
            {
                dataSource.UseEntraAuthentication(NpgsqlEntraAuthentication.Credential(sp), settings);
            }
            return dataSource.Build();
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new(
                "postgres",
                sp => new PostgresHealthCheck(sp.GetRequiredService<NpgsqlDataSource>()),
                failureStatus: null,
                tags: ["ready", "db"],
                timeout: TimeSpan.FromSeconds(settings.HealthCheckTimeoutSeconds)));
        }
        // A span per SQL command only when traces are exported: unexported they cost the worker CPU on every page.
        if (!settings.DisableTracing && Extensions.IsTraceExportConfigured(builder.Configuration))
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNpgsql());
        }
        if (!settings.DisableMetrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Npgsql"));
        }
        return builder;
    }
}
