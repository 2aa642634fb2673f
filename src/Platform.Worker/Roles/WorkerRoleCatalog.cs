using Platform.Infrastructure.Alerting;
using Platform.Infrastructure.Feeds;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Messaging;

namespace Platform.Worker.Roles;

/// <summary>
/// The background roles this worker can run, each a set of registrations. A process runs the roles its
/// configuration selects, so Azure can scale ingest, consolidation and the rest independently.
/// </summary>
public sealed class WorkerRoleCatalog(IReadOnlyDictionary<string, Action<IHostApplicationBuilder>> roles)
{
    /// <summary>The roles shipped with Platform (PLATFORM §2).</summary>
    public static WorkerRoleCatalog Default { get; } = new(new Dictionary<string, Action<IHostApplicationBuilder>>
    {
        // Cron triggers (one leader) and the heatmap scans of new runs.
        ["scheduler"] = builder => builder.Services.AddFeedAdapters().AddScheduler().AddUpstreamCircuitReports(),
        // One supplier page per message.
        ["ingest"] = builder => builder.Services.AddFeedAdapters().AddPageConsumer().AddUpstreamCircuitReports(),
        // Raw rows into the priced catalog.
        ["consolidator"] = builder => builder.Services.AddFeedAdapters().AddConsolidationConsumer(),
        // Stalled partitions, lost consolidations and scans, and the health monitors with their alerts (one leader each);
        // error-log pruning in every maintenance process.
        ["maintenance"] = builder => builder.Services.AddPipelineMaintenance().AddAlertMonitoring().AddErrorLogPruning(),
        // The outbox relay to Service Bus (idle with the Postgres transport).
        ["dispatcher"] = builder => builder.Services.AddOutboxDispatcher(),
    });

    public IReadOnlyCollection<string> Names => [.. roles.Keys];

    public void Register(IHostApplicationBuilder builder, IEnumerable<string> selected)
    {
        foreach (var name in selected)
        {
            roles[name](builder);
        }
    }
}

public static class WorkerRoleExtensions
{
    public static IHostApplicationBuilder AddWorkerRoles(this IHostApplicationBuilder builder, WorkerRoleCatalog catalog)
    {
        var options = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
        var selected = options.Resolve(catalog.Names);
        catalog.Register(builder, selected);
        builder.Services.AddSingleton(new ActiveWorkerRoles(selected));
        return builder;
    }
}

/// <summary>The roles this process runs (reported by its heartbeat).</summary>
public sealed record ActiveWorkerRoles(IReadOnlyList<string> Names);
