using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Messaging.Postgres;
using Platform.Infrastructure.Operations.ErrorLog;

namespace Platform.Infrastructure.Messaging;

public static class MessagingExtensions
{
    /// <summary>The Postgres transport: publisher, queue store and the LISTEN wake-ups (PLATFORM §3.4).</summary>
    public static IServiceCollection AddPostgresMessaging(this IServiceCollection services)
    {
        DapperConventions.Apply();
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName)
            .PostConfigure<IConfiguration>(InheritDefaults).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresQueueStore>();
        services.TryAddSingleton<IMessagePublisher, PostgresPublisher>();
        if (!services.Any(d => d.ServiceType == typeof(QueueWakeups)))
        {
            services.AddSingleton<QueueWakeups>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<QueueWakeups>());
        }
        return services;
    }

    /// <summary>Consumes <paramref name="queue"/> with <typeparamref name="THandler"/> (resolved per message in its own scope).</summary>
    public static IServiceCollection AddQueueConsumer<THandler>(this IServiceCollection services, string queue)
        where THandler : class, IMessageHandler
    {
        services.AddPostgresMessaging();
        services.AddErrorLog();
        services.TryAddScoped<THandler>();
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueConsumer<THandler>>(sp, queue));
        return services;
    }

    /// <summary>A queue's section overrides <c>Messaging:Defaults</c> key by key rather than replacing it whole.</summary>
    private static void InheritDefaults(MessagingOptions options, IConfiguration configuration)
    {
        foreach (var queue in configuration.GetSection($"{MessagingOptions.SectionName}:Queues").GetChildren())
        {
            var merged = options.Defaults.Clone();
            queue.Bind(merged);
            options.Queues[queue.Key] = merged;
        }
    }

    private sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
    {
        public ValidateOptionsResult Validate(string? name, MessagingOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
