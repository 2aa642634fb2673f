using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Authentication;

/// <summary>
/// Keys looked up by hash, kept in process for <c>ApiKeys:CacheSeconds</c> so a request does not need the database. A
/// revocation evicts the key here at once and, through <see cref="ApiKeyRevocations"/>, on every other replica within
/// a Redis round trip. While the revocation channel is not subscribed (Redis down) entries live only
/// <c>ApiKeys:FallbackCacheSeconds</c>, which bounds how long a missed revocation can go unnoticed (ADR 0023).
/// Unknown keys are not cached: a flood of random keys must not fill the cache, and the checksum rejects most without a query.
/// </summary>
public sealed class ApiKeyCache(ApiKeyStore store, IOptions<ApiKeyOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private volatile bool _channelListening;

    /// <summary>Set by <see cref="ApiKeyRevocations"/>: true while revocations from other replicas reach this one.</summary>
    public bool ChannelListening
    {
        get => _channelListening;
        set => _channelListening = value;
    }

    public int Count => _entries.Count;

    public async Task<ApiKeyIdentity?> FindActiveAsync(string token, CancellationToken cancellationToken)
    {
        if (!ApiKeyToken.IsWellFormed(token))
        {
            return null;
        }
        var hash = Convert.ToHexString(ApiKeyToken.Hash(token));
        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(ChannelListening ? options.Value.CacheSeconds : options.Value.FallbackCacheSeconds);
        if (_entries.TryGetValue(hash, out var cached) && now - cached.CachedAt < lifetime)
        {
            // A key that expires or whose grace period ends while cached stops working on time, not at the next refresh.
            return cached.Identity.ValidUntil is { } until && until <= now ? null : cached.Identity;
        }
        var identity = await store.FindActiveAsync(token, cancellationToken);
        if (identity is null)
        {
            _entries.TryRemove(hash, out _);
            return null;
        }
        if (_entries.Count >= options.Value.CacheMaxEntries)
        {
            _entries.Clear();
        }
        _entries[hash] = new Entry(identity, now);
        return identity;
    }

    /// <summary>Forgets a key, so its next use reads the database (revoked, rotated, changed).</summary>
    public void Evict(Guid keyId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Identity.KeyId == keyId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>Forgets every key: after the channel was down, revocations may have been missed.</summary>
    public void Clear() => _entries.Clear();

    private sealed record Entry(ApiKeyIdentity Identity, DateTimeOffset CachedAt);
}
