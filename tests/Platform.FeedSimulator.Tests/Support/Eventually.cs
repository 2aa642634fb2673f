namespace Platform.FeedSimulator.Tests.Support;

/// <summary>Polls a condition with a deadline, for outcomes that land on another thread.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {timeoutSeconds} s.");
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
