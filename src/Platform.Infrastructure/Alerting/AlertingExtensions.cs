using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.Infrastructure.Security;
using Platform.Infrastructure.Security.Egress;
using Platform.Infrastructure.Alerting.Channels;
using Platform.Infrastructure.Alerting.Monitors;
using Platform.Infrastructure.Alerting.Notifications;
using Platform.Infrastructure.Alerting.Rules;
using Platform.Infrastructure.Messaging;

namespace Platform.Infrastructure.Alerting;

public static class AlertingExtensions
{
    /// <summary>Options, stores and channel delivery: what the api (management, test sends) and the worker share.</summary>
    public static IServiceCollection AddAlertingCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AlertingOptions>().BindConfiguration(AlertingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSecretProtection(); // channel secrets are encrypted at rest
        services.TryAddSingleton<AlertChannelStore>();
        services.TryAddSingleton<AlertRuleStore>();
        services.TryAddSingleton<AlertHistoryQueries>();
        services.TryAddSingleton<AlertChannelSenders>();
        services.TryAddSingleton<AlertChannelDelivery>();
        // Each channel has its own timeout and breaker (AlertChannelDelivery); the standard handler would stack retries on them.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental; it is the documented way to opt a client out.
        // Webhook, Slack and Teams URLs are chosen by tenants: every connection goes through the SSRF guard (ADR 0034).
        services.AddHttpClient(AlertChannelSenders.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllResilienceHandlers()
            .ThroughEgressGuard();
#pragma warning restore EXTEXP0001
        return services;
    }

    /// <summary>The maintenance role's monitors (one leader) and the notifier consuming <c>alerts.notify</c>.</summary>
    public static IServiceCollection AddAlertMonitoring(this IServiceCollection services)
    {
        services.AddAlertingCore();
        services.TryAddSingleton<WorkerHeartbeats>();
        services.TryAddSingleton<QueueHealthProbe>();
        services.TryAddSingleton<PipelineHealthProbe>();
        services.TryAddSingleton<AlertEvaluator>();
        services.TryAddSingleton<AlertMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertMonitor>());
        return services.AddMessaging().AddQueueConsumer<AlertNotificationHandler>(AlertNotificationMessage.Queue);
    }

    /// <summary>Reports this process's upstream breaker states for the circuit-open alert (roles that call suppliers).</summary>
    public static IServiceCollection AddUpstreamCircuitReports(this IServiceCollection services)
    {
        services.AddAlertingCore();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, UpstreamCircuitReporter>());
        return services;
    }
}
