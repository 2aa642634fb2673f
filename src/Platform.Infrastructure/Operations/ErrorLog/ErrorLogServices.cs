using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Platform.Infrastructure.Operations.ErrorLog;

public static class ErrorLogServices
{
    /// <summary>The buffered <see cref="IErrorLog"/> and its queries. Safe to call from every registration that records errors.</summary>
    public static IServiceCollection AddErrorLog(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ErrorLogWriter)))
        {
            return services;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ErrorLogOptions>().BindConfiguration(ErrorLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ErrorLogWriter>();
        services.AddSingleton<IErrorLog>(sp => sp.GetRequiredService<ErrorLogWriter>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ErrorLogWriter>());
        services.TryAddSingleton<ErrorLogQueries>();
        return services;
    }

    /// <summary>The maintenance role's retention of <c>error_log</c>.</summary>
    public static IServiceCollection AddErrorLogPruning(this IServiceCollection services)
    {
        services.AddErrorLog();
        services.TryAddSingleton<ErrorLogPruner>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ErrorLogPruner>());
        return services;
    }
}
