using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Ingestion.Consolidation;
using Platform.Infrastructure.Ingestion.Maintenance;
using Platform.Infrastructure.Ingestion.Pages;
using Platform.Infrastructure.Ingestion.Runs;
using Platform.Infrastructure.Ingestion.Scheduling;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Telemetry;

namespace Platform.Infrastructure.Ingestion;

public static class IngestionExtensions
{
    /// <summary>What both the api and the worker need to start and read runs.</summary>
    public static IServiceCollection AddIngestionCore(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.AddMessaging();
        services.AddErrorLog();
        services.AddOperationalGauges();
        services.TryAddSingleton<RunTrigger>();
        services.TryAddSingleton<RunQueries>();
        services.TryAddSingleton<FeedQueries>();
        services.TryAddSingleton<RunControl>();
        return services;
    }

    /// <summary>The scheduler role: cron triggers (one leader) and the heatmap scans of new runs.</summary>
    public static IServiceCollection AddScheduler(this IServiceCollection services)
    {
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<FeedScheduler>();
        return services.AddIngestionCore().AddQueueConsumer<ScanHandler>(QueueNames.IngestScan);
    }

    /// <summary>The maintenance role's pipeline duties: stalled partitions, lost consolidations and scans (one leader).</summary>
    public static IServiceCollection AddPipelineMaintenance(this IServiceCollection services)
    {
        services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PipelineMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<PipelineMaintenance>());
        return services.AddIngestionCore();
    }

    /// <summary>The ingest role: one page per message.</summary>
    public static IServiceCollection AddPageConsumer(this IServiceCollection services)
    {
        services.TryAddSingleton<PageWriter>();
        return services.AddIngestionCore().AddQueueConsumer<PageHandler>(QueueNames.IngestPage);
    }

    /// <summary>The consolidator role.</summary>
    public static IServiceCollection AddConsolidationConsumer(this IServiceCollection services) =>
        services.AddIngestionCore().AddQueueConsumer<ConsolidationHandler>(QueueNames.IngestConsolidate);

    private sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
    {
        public ValidateOptionsResult Validate(string? name, PipelineOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
