using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.Api.Authentication.Signing;

/// <summary>
/// Remembers (key, nonce) pairs for twice the timestamp tolerance, so a captured signed request cannot be sent again on
/// any replica: <c>SET NX EX</c> in Redis. When Redis does not answer in time, this process remembers the pair instead —
/// a replay is then still refused by this replica, and the timestamp window bounds what another replica could accept.
/// </summary>
public sealed partial class NonceReplayCache(IConnectionMultiplexer redis, IOptions<ApiKeyOptions> options, TimeProvider time, ILogger<NonceReplayCache> logger)
{
    /// <summary>Most nonces kept in process; beyond that the oldest expired ones are swept, then the set starts again.</summary>
    public const int MaxLocalEntries = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _local = new(StringComparer.Ordinal);

    /// <summary>True the first time a nonce of a key is seen within the window, false for a replay.</summary>
    public async Task<bool> TryUseAsync(Guid keyId, string nonce)
    {
        var lifetime = TimeSpan.FromSeconds(2 * options.Value.SignatureToleranceSeconds);
        var key = $"{options.Value.NonceKeyPrefix}{keyId:N}:{nonce}";
        if (!TryUseLocally(key, lifetime))
        {
            return false;
        }
        try
        {
            return await redis.GetDatabase().StringSetAsync(key, "1", lifetime, When.NotExists)
                .WaitAsync(TimeSpan.FromMilliseconds(options.Value.NonceRedisTimeoutMilliseconds));
        }
        catch (Exception failure) when (failure is RedisException or TimeoutException or ObjectDisposedException)
        {
            LogRedisUnavailable(logger, failure.GetType().Name);
            return true;
        }
    }

    private bool TryUseLocally(string key, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        if (_local.Count >= MaxLocalEntries)
        {
            foreach (var (old, expires) in _local)
            {
                if (expires <= now)
                {
                    _local.TryRemove(old, out _);
                }
            }
            if (_local.Count >= MaxLocalEntries)
            {
                _local.Clear();
            }
        }
        if (_local.TryGetValue(key, out var until) && until > now)
        {
            return false;
        }
        return _local.TryAdd(key, now + lifetime) || _local.TryUpdate(key, now + lifetime, until);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not answer the nonce replay check ({Failure}); this replica checks replays alone until it does.")]
    private static partial void LogRedisUnavailable(ILogger logger, string failure);
}
