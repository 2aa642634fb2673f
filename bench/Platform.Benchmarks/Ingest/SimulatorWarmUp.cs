using Platform.Benchmarks.Baselines;

namespace Platform.Benchmarks.Ingest;

/// <summary>
/// Warms the simulator up for both sides before either is measured, so that neither pays for its JIT: unfiltered pages
/// as the baseline reads them, then counts and filtered pages in the pipeline's query format (price half-open, updatedAt
/// inclusive, instants in UTC) with a W3C <c>traceparent</c>, as its heatmap and page workers send them, in rounds with a
/// pause between them. The JIT compiles a method's optimized code only after its instrumented code has run for a while,
/// and finishes in the background when the process is quiet. With only 100 unfiltered pages as warm-up,
/// <c>perf</c> showed the simulator's "Tiered Compilation" thread taking a third of the simulator's CPU during the
/// pipeline's pages phase (the baseline, measured second, found the simulator warm); after one round of 2 000 requests,
/// 1 100 methods were still compiled during the pipeline's run, after these three rounds 200.
/// </summary>
public static class SimulatorWarmUp
{
    private const int Rounds = 3;
    private const int RequestsPerRound = 2_000;

    public static async Task RunAsync(Uri baseUrl, int stones, int readers, CancellationToken cancellationToken)
    {
        await foreach (var _ in SimulatorReader.ReadAll(baseUrl, Math.Min(stones, RequestsPerRound * BenchFeed.PageSize), readers, cancellationToken)
                           .ReadAllAsync(cancellationToken))
        {
        }
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        var updatedTo = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        for (var round = 0; round < Rounds; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, readers).Select(async _ =>
            {
                int request;
                while ((request = Interlocked.Increment(ref next)) < RequestsPerRound / 2)
                {
                    // 100 price windows of $500 across $0–50 000: narrow filters like a run's partitions.
                    var from = request % 100 * 500;
                    var filter = $"priceFrom={from}&priceTo={from + 500}&updatedFrom=2000-01-01T00:00:00.0000000Z&updatedTo={updatedTo}";
                    (await http.GetAsync($"api/v1/diamonds/count?{filter}", cancellationToken)).EnsureSuccessStatusCode().Dispose();
                    (await http.GetAsync($"api/v1/diamonds?{filter}&offset={request / 100 * BenchFeed.PageSize}&limit={BenchFeed.PageSize}", cancellationToken))
                        .EnsureSuccessStatusCode().Dispose();
                }
            }));
        }
    }
}
