using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Health;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>The Aspire Redis client integration, rebuilt: one multiplexer per process and a health check.</summary>
public static class RedisExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c>.
    /// It never fails a start or a request because Redis is away: it reconnects in the background and the
    /// health check reports Degraded meanwhile (PLATFORM §8).
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = ConnectionStrings.Require(builder.Configuration, connectionName);
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Configuration setting 'ConnectionStrings:{connectionName}' is not a valid Redis connection string: {e.Message}", e);
        }
        options.AbortOnConnectFail = false;
        // While Redis is away, commands fail at once instead of waiting in the client's backlog to be sent after the
        // reconnect: every caller has a fallback (per-process rate limits, Postgres reads), and a replayed rate-limit
        // increment would count a request the fallback already answered a second time.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2_000);
        options.ClientName ??= builder.Environment.ApplicationName;

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().Add(new(
            "redis",
            sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            failureStatus: HealthStatus.Degraded,
            tags: ["ready", "cache"],
            timeout: TimeSpan.FromSeconds(2)));
        return builder;
    }
}
