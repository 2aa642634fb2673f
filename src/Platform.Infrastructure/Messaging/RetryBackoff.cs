namespace Platform.Infrastructure.Messaging;

/// <summary>Exponential backoff with "equal jitter": half the exponential delay fixed, half random, so retries spread out.</summary>
public static class RetryBackoff
{
    public static TimeSpan For(int attempt, QueueOptions options, Random random)
    {
        var exponential = Math.Min(options.RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempt - 1)), options.RetryMaxSeconds);
        return TimeSpan.FromSeconds((exponential / 2) + (random.NextDouble() * exponential / 2));
    }
}
