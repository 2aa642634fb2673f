using System.Collections.Concurrent;
using Platform.Domain.Ingestion.Heatmap;

namespace Platform.UnitTests.Ingestion.Heatmap;

/// <summary>
/// An in-memory supplier catalogue answering count queries for half-open price ranges. It records every call,
/// tracks how many calls are in flight at once, and can add latency or fail chosen attempts.
/// </summary>
internal sealed class FakeFeed(IEnumerable<decimal> prices)
{
    private readonly decimal[] prices = [.. prices.Order()];
    private readonly ConcurrentQueue<PriceRange> calls = new();
    private readonly ConcurrentDictionary<PriceRange, int> attempts = new();
    private int inFlight;
    private int maxInFlight;

    public IReadOnlyList<decimal> Prices => prices;

    /// <summary>Every count call in the order it was made (retries included).</summary>
    public IReadOnlyList<PriceRange> Calls => [.. calls];

    public int MaxInFlight => Volatile.Read(ref maxInFlight);

    public TimeSpan Latency { get; init; }

    public bool RandomLatency { get; init; }

    /// <summary>Fails the call when it returns true for (range, 1-based attempt number for that range).</summary>
    public Func<PriceRange, int, bool>? FailWhen { get; init; }

    public static FakeFeed Empty() => new([]);

    /// <summary>A diamond-like catalogue: ~80 % under $20 000 (skewed low), the rest log-uniform up to $250 000.</summary>
    public static FakeFeed Generate(int seed, int count)
    {
        var random = new Random(seed);
        var prices = new List<decimal>(count);
        for (var i = 0; i < count; i++)
        {
            var price = random.NextDouble() < 0.8
                ? 200 + (19_800 * Math.Pow(random.NextDouble(), 2))
                : 20_000 * Math.Pow(250_000.0 / 20_000, random.NextDouble());
            prices.Add(Math.Min(Math.Round((decimal)price, 2), 249_999.99m));
        }

        return new FakeFeed(prices);
    }

    public FakeFeed With(IEnumerable<decimal> morePrices) =>
        new(prices.Concat(morePrices)) { Latency = Latency, RandomLatency = RandomLatency, FailWhen = FailWhen };

    public long CountIn(PriceRange range) => LowerBound(range.Max) - LowerBound(range.Min);

    public IEnumerable<decimal> PricesIn(PriceRange range) => prices.Where(range.Contains);

    public int AttemptsFor(PriceRange range) => attempts.GetValueOrDefault(range);

    public async Task<long> CountAsync(PriceRange range, CancellationToken cancellationToken)
    {
        calls.Enqueue(range);
        var attempt = attempts.AddOrUpdate(range, 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref inFlight);
        for (var seen = maxInFlight; now > seen; seen = maxInFlight)
            Interlocked.CompareExchange(ref maxInFlight, now, seen);
        try
        {
            var latency = RandomLatency ? TimeSpan.FromMilliseconds(Random.Shared.Next(0, 3)) : Latency;
            if (latency > TimeSpan.Zero)
                await Task.Delay(latency, cancellationToken);
            else
                await Task.Yield();

            if (FailWhen?.Invoke(range, attempt) == true)
                throw new FeedUnavailableException($"Count of {range} failed (attempt {attempt}).");
            return CountIn(range);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private int LowerBound(decimal price)
    {
        int low = 0, high = prices.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (prices[mid] < price)
                low = mid + 1;
            else
                high = mid;
        }

        return low;
    }
}

internal sealed class FeedUnavailableException(string message) : Exception(message);
