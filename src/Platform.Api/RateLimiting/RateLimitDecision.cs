namespace Platform.Api.RateLimiting;

/// <summary>
/// The answer for one request: admitted or not, what is left of the budget and when the window frees a slot.
/// <see cref="ResetAfter"/> is the time until the oldest counted request leaves the window (the <c>t</c> of the RateLimit field).
/// </summary>
public sealed record RateLimitDecision(string Policy, bool Admitted, int Limit, int Remaining, TimeSpan Window, TimeSpan ResetAfter)
{
    /// <summary>Whole seconds, rounded up, so a client that waits this long is admitted.</summary>
    public int ResetSeconds => (int)Math.Ceiling(Math.Max(ResetAfter.TotalSeconds, 0));

    public int WindowSeconds => (int)Math.Ceiling(Window.TotalSeconds);
}
