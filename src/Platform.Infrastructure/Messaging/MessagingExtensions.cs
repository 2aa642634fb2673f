using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Messaging.Outbox;
using Platform.Infrastructure.Messaging.Postgres;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.Infrastructure.Messaging.ServiceBus;

namespace Platform.Infrastructure.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The transport selected by <c>Messaging:Transport</c> (PLATFORM §3.4, ADR 0028): the publisher and the receivers
    /// of Postgres, or of Service Bus with the outbox publisher. The LISTEN wake-ups run either way (they also wake
    /// the outbox relay).
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        DapperConventions.Apply();
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName)
            .PostConfigure<IConfiguration>(InheritDefaults).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusOptions>, ServiceBusOptionsValidator>());
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresQueueStore>();
        services.TryAddSingleton<PostgresPublisher>();
        services.TryAddSingleton<PostgresQueueReceiverFactory>();
        services.TryAddSingleton<DeadLetterStore>();
        services.TryAddSingleton<ServiceBusRestClient>();
        services.TryAddSingleton<ServiceBusQueueReceiverFactory>();
        services.TryAddSingleton<BrokerDeadLetterSweep>();
        services.TryAddSingleton<OutboxPublisher>();
        services.TryAddSingleton<IMessagePublisher>(sp => UsesServiceBus(sp)
            ? sp.GetRequiredService<OutboxPublisher>() : sp.GetRequiredService<PostgresPublisher>());
        services.TryAddSingleton<IQueueReceiverFactory>(sp => UsesServiceBus(sp)
            ? sp.GetRequiredService<ServiceBusQueueReceiverFactory>() : sp.GetRequiredService<PostgresQueueReceiverFactory>());
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
        services.AddMessaging();
        services.AddErrorLog();
        services.TryAddScoped<THandler>();
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueConsumer<THandler>>(sp, queue));
        return services;
    }

    /// <summary>The dispatcher role: relays the outbox to the broker (idles with the Postgres transport).</summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services)
    {
        services.AddMessaging();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }

    private static bool UsesServiceBus(IServiceProvider services) =>
        services.GetRequiredService<IOptions<MessagingOptions>>().Value.UsesServiceBus;

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

    private sealed class MessagingOptionsValidator(IConfiguration configuration) : IValidateOptions<MessagingOptions>
    {
        public ValidateOptionsResult Validate(string? name, MessagingOptions options)
        {
            var errors = options.Validate().ToList();
            if (options.UsesServiceBus)
            {
                try
                {
                    ServiceBusConnection.Parse(configuration.GetConnectionString(ServiceBusOptions.ConnectionName));
                }
                catch (InvalidOperationException e)
                {
                    errors.Add(e.Message);
                }
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class ServiceBusOptionsValidator : IValidateOptions<ServiceBusOptions>
    {
        public ValidateOptionsResult Validate(string? name, ServiceBusOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, OutboxOptions options)
        {
            var errors = options.Validate().ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
