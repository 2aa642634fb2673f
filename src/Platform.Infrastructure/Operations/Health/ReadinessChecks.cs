using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Operations.Health;

public static class ReadinessChecks
{
    /// <summary>
    /// The readiness checks beyond Postgres and Redis (which ServiceDefaults registers): <c>transport</c>, <c>upstream</c>,
    /// <c>postgres-pool</c> and <c>errors</c>. Each has its own timeout; the transport and errors checks read the background sample, so no probe queries the database for them.
    /// </summary>
    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddOptions<ReadinessOptions>().BindConfiguration(ReadinessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddErrorLog();
        services.AddOperationalGauges(); // the sample the transport and errors checks read
        services.TryAddSingleton<PoolHealthCheck>();
        var timeout = TimeSpan.FromSeconds(3);
        services.AddHealthChecks()
            .AddCheck<TransportHealthCheck>("transport", tags: ["ready"], timeout: timeout)
            .AddCheck<UpstreamCircuitsHealthCheck>("upstream", tags: ["ready"], timeout: timeout)
            .Add(new HealthCheckRegistration("postgres-pool", sp => sp.GetRequiredService<PoolHealthCheck>(), null, ["ready"], timeout))
            .AddCheck<ErrorRateHealthCheck>("errors", tags: ["ready"], timeout: timeout);
        return services;
    }
}
