using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Platform.Infrastructure.Alerting.Monitors;

/// <summary>
/// Counts the live workers of a role from their Redis heartbeats (<c>platform:workers:{instance}</c>, written by every
/// worker and expiring after three missed beats), so a <c>no_progress</c> alert says whether workers are there at all.
/// Null when Redis is not configured or does not answer: the alert stands on the database alone.
/// </summary>
public sealed class WorkerHeartbeats(IServiceProvider services)
{
    public const string KeyPrefix = "platform:workers:";
    private const int MaxKeys = 1000;

    public async Task<int?> CountLiveAsync(string role)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { IsConnected: true } redis)
        {
            return null;
        }
        try
        {
            var (count, seen) = (0, 0);
            var database = redis.GetDatabase();
            foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: KeyPrefix + "*", pageSize: 100))
                {
                    if (++seen > MaxKeys)
                    {
                        return count;
                    }
                    if (await database.StringGetAsync(key) is { HasValue: true } beat && HasRole(beat.ToString(), role))
                    {
                        count++;
                    }
                }
            }
            return count;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static bool HasRole(string beat, string role)
    {
        try
        {
            using var json = JsonDocument.Parse(beat);
            return json.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                && roles.EnumerateArray().Any(r => r.GetString() == role);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
