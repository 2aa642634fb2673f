using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Operations.Queues;
using Platform.Infrastructure.Operations.Stats;

namespace Platform.Infrastructure.Operations;

public static class AdminViewServices
{
    /// <summary>What the operator routes read and do: platform stats, queue figures and dead-letter replay.</summary>
    public static IServiceCollection AddAdminViews(this IServiceCollection services)
    {
        services.AddMessaging();
        services.TryAddSingleton<QueueStatistics>();
        services.TryAddSingleton<DeadLetters>();
        services.TryAddSingleton<CacheTally>();
        services.TryAddSingleton<AdminStatistics>();
        return services;
    }
}
