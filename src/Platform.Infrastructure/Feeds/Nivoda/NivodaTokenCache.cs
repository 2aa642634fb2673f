using System.Collections.Concurrent;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>Whose token: a feed's account at one endpoint (a changed endpoint or username gets a new session).</summary>
internal readonly record struct NivodaSessionKey(Guid FeedId, Uri Endpoint, string Username);

/// <summary>
/// Nivoda session tokens per feed, shared by every adapter instance of the process. A token is renewed 5 minutes
/// before it expires; concurrent callers that find none share one authentication instead of each sending their own.
/// </summary>
public sealed class NivodaTokenCache(TimeProvider timeProvider)
{
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<NivodaSessionKey, Session> sessions = new();

    internal async Task<string> GetAsync(
        NivodaSessionKey key, Func<CancellationToken, Task<NivodaToken>> authenticate, CancellationToken cancellationToken)
    {
        var session = sessions.GetOrAdd(key, static _ => new Session());
        Task<NivodaToken> pending;
        lock (session.Gate)
        {
            if (session.Current is { } current && current.ExpiresAt - RenewBeforeExpiry > timeProvider.GetUtcNow())
            {
                return current.Value;
            }
            pending = session.Pending ??= AuthenticateAsync(session, authenticate);
        }
        // A caller that gives up stops waiting; the shared authentication goes on for the others.
        return (await pending.WaitAsync(cancellationToken)).Value;
    }

    /// <summary>Forgets a token the server refused, unless it has already been replaced.</summary>
    internal void Invalidate(NivodaSessionKey key, string refusedToken)
    {
        if (sessions.TryGetValue(key, out var session))
        {
            lock (session.Gate)
            {
                if (session.Current?.Value == refusedToken)
                {
                    session.Current = null;
                }
            }
        }
    }

    private static async Task<NivodaToken> AuthenticateAsync(Session session, Func<CancellationToken, Task<NivodaToken>> authenticate)
    {
        // Leave the lock before doing anything, so Pending is set before this can finish and clear it.
        await Task.Yield();
        try
        {
            // Not the first caller's token: its cancellation must not fail everyone else waiting. The resilience
            // pipeline's timeouts and the rate limit's maximum wait bound the authentication instead.
            var token = await authenticate(CancellationToken.None);
            lock (session.Gate)
            {
                session.Current = token;
            }
            return token;
        }
        finally
        {
            lock (session.Gate)
            {
                session.Pending = null;
            }
        }
    }

    private sealed class Session
    {
        public Lock Gate { get; } = new();
        public NivodaToken? Current { get; set; }
        public Task<NivodaToken>? Pending { get; set; }
    }
}
