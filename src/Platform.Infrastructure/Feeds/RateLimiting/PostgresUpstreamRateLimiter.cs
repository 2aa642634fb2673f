using Microsoft.Extensions.Options;
using Platform.Infrastructure.Feeds.Resilience;

namespace Platform.Infrastructure.Feeds.RateLimiting;

/// <summary>
/// A token bucket per feed in <c>upstream_rate_limits</c> (capacity = the rate, continuous refill), shared by every
/// process through Postgres. Each attempt is one atomic upsert that refills, takes a token if there is one, and
/// reports what it found; a caller that got none waits <c>min(time until the next token, 2 × 100 ms) + 0–50 ms</c>
/// (Diamond Opus's constants) and tries again, until <c>Upstream:RateLimitMaxWaitSeconds</c>.
/// </summary>
public sealed class PostgresUpstreamRateLimiter(NpgsqlDataSource dataSource, IOptions<UpstreamOptions> options, TimeProvider timeProvider)
    : IUpstreamRateLimiter
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private const double JitterMilliseconds = 50;

    // statement_timestamp() is fixed for the statement, so every expression sees one "now". A statement that queued
    // behind another's row lock may carry an earlier time than the row's refilled_at: it then refills nothing
    // (GREATEST(0, …)) and refilled_at never moves backwards, which errs towards admitting less, never more.
    private const string TakeToken = """
        INSERT INTO upstream_rate_limits AS bucket (feed_id, tokens, tokens_before, refilled_at, requests_per_second, admitted_total)
        VALUES (@FeedId, @Capacity - 1, @Capacity, statement_timestamp(), @Rate, 1)
        ON CONFLICT (feed_id) DO UPDATE SET
            (tokens_before, tokens, refilled_at, requests_per_second, admitted_total) = (
                SELECT refill.available,
                       CASE WHEN refill.available >= 1 THEN refill.available - 1 ELSE refill.available END,
                       GREATEST(bucket.refilled_at, statement_timestamp()),
                       @Rate,
                       bucket.admitted_total + CASE WHEN refill.available >= 1 THEN 1 ELSE 0 END
                FROM (SELECT LEAST(@Capacity, bucket.tokens + @Rate * GREATEST(0,
                          EXTRACT(EPOCH FROM statement_timestamp() - bucket.refilled_at))::double precision) AS available) AS refill)
        RETURNING tokens_before
        """;

    private readonly TimeSpan maxWait = options.Value.RateLimitMaxWait;

    public async Task<TimeSpan> AcquireAsync(Guid feedId, decimal requestsPerSecond, CancellationToken cancellationToken)
    {
        if (UpstreamRateLimit.IsUnlimited(requestsPerSecond))
        {
            return TimeSpan.Zero;
        }
        var rate = (double)requestsPerSecond;
        var capacity = Math.Max(1, rate);
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            var tokensFound = await TakeTokenAsync(feedId, rate, capacity, cancellationToken);
            var waited = timeProvider.GetElapsedTime(started);
            if (tokensFound >= 1)
            {
                return waited;
            }
            if (waited >= maxWait)
            {
                throw new UpstreamRateLimitTimeoutException(feedId, requestsPerSecond, waited);
            }
            var untilNextToken = TimeSpan.FromSeconds((1 - tokensFound) / rate);
            var pause = (untilNextToken < 2 * BaseDelay ? untilNextToken : 2 * BaseDelay)
                + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * JitterMilliseconds);
            var remaining = maxWait - waited;
            await Task.Delay(pause < remaining ? pause : remaining, timeProvider, cancellationToken);
        }
    }

    private async Task<double> TakeTokenAsync(Guid feedId, double rate, double capacity, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<double>(new CommandDefinition(
            TakeToken, new { FeedId = feedId, Rate = rate, Capacity = capacity }, cancellationToken: cancellationToken));
    }
}
