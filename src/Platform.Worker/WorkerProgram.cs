using Platform.Infrastructure.Database;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.ServiceDefaults.Logging;
using Platform.Worker.Heartbeat;
using Platform.Worker.Roles;

namespace Platform.Worker;

/// <summary>
/// The worker host: runs the background roles named in <c>Worker:Roles</c> so each can be scaled on its own,
/// and answers health probes and <c>/metrics</c> like every service.
/// </summary>
public sealed class WorkerProgram
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddNpgsqlDataSource("platformdb");
        builder.AddRedisClient("cache");
        builder.Services.AddPlatformInfrastructure();
        builder.Services.AddSingleton<ErrorTextRedactor>(SecretRedactor.Redact);
        builder.Services.AddHostedService<MigrateOnStartup>();
        builder.Services.AddWorkerHeartbeat();
        builder.AddWorkerRoles(WorkerRoleCatalog.Default);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
    }
}
