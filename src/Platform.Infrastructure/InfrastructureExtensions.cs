using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Operations.Health;
using Platform.Infrastructure.Operations.Queues;
using Platform.Infrastructure.Security;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure;

public static class InfrastructureExtensions
{
    /// <summary>Stores and database services shared by the api and the worker (the data source itself comes from ServiceDefaults).</summary>
    public static IServiceCollection AddPlatformInfrastructure(this IServiceCollection services)
    {
        DapperConventions.Apply();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyManager>();
        services.AddSingleton<AuditLogQueries>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<OrganizationStore>();
        services.AddSingleton<OrganizationLimitsStore>();
        services.AddSingleton<OrganizationMemberStore>();
        services.AddSingleton<Pricing.PricingRuleRepository>();
        services.AddErrorLog();
        services.AddReadinessChecks();
        services.TryAddSingleton<QueueStatistics>();
        services.AddSecretProtection();
        services.AddSingleton<Feeds.Management.FeedRepository>();
        return services;
    }
}
