using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Platform.Infrastructure.Operations.Queues;

namespace Platform.Infrastructure.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The queue and run gauges and the snapshot readiness reads (once per process, however many roles ask for them).</summary>
    public static IServiceCollection AddOperationalGauges(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(OperationalGauges)))
        {
            return services;
        }
        services.AddMetrics(); // IMeterFactory (hosts have it already; bare service collections in tests do not)
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueueStatistics>();
        services.AddSingleton<OperationalGauges>();
        services.AddSingleton<IOperationalSnapshots>(sp => sp.GetRequiredService<OperationalGauges>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OperationalGauges>());
        return services;
    }
}
