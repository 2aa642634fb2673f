using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.Api.Authentication;

/// <summary>
/// The revocation channel (ADR 0023): a revoked or rotated key's id is published on a Redis channel that every api
/// replica subscribes to, and each evicts the key from its <see cref="ApiKeyCache"/>. Publishing happens after the
/// change commits and never fails the request: if Redis is down the replicas cannot listen either, so their caches are
/// on the short fallback lifetime already.
/// </summary>
public sealed partial class ApiKeyRevocations(
    IConnectionMultiplexer redis, ApiKeyCache cache, IOptions<ApiKeyOptions> options, ILogger<ApiKeyRevocations> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(2);

    private RedisChannel Channel => RedisChannel.Literal(options.Value.RevocationChannel);

    /// <summary>Evicts the key here at once, then tells the other replicas.</summary>
    public async Task PublishAsync(Guid keyId)
    {
        cache.Evict(keyId);
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, keyId.ToString()).WaitAsync(PublishTimeout);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, keyId, exception);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            // Until the first subscription succeeds the cache runs on the fallback lifetime; afterwards the client
            // re-subscribes by itself on reconnect, and the events below track whether it is listening.
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await redis.GetSubscriber().SubscribeAsync(Channel, OnMessage).WaitAsync(PublishTimeout, stoppingToken);
                    cache.Clear();
                    cache.ChannelListening = redis.IsConnected;
                    LogSubscribed(logger, options.Value.RevocationChannel);
                    break;
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    LogSubscribeFailed(logger, exception);
                    await Task.Delay(RetryInterval, stoppingToken);
                }
            }
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
            cache.ChannelListening = false;
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (Guid.TryParse(message.ToString(), out var keyId))
        {
            cache.Evict(keyId);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs args)
    {
        // Any lost connection counts: with RESP3 subscriptions share the interactive connection.
        cache.ChannelListening = false;
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs args)
    {
        // Messages published while we were away are lost: start from the database again.
        cache.Clear();
        cache.ChannelListening = redis.IsConnected;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for API key revocations on Redis channel {Channel}.")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot subscribe to the API key revocation channel; keys are cached for the short fallback lifetime until it works.")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the revocation of API key {KeyId}; other replicas drop it when their cache entry expires.")]
    private static partial void LogPublishFailed(ILogger logger, Guid keyId, Exception exception);
}
