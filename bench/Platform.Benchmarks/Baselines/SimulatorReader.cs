using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Platform.Benchmarks.Baselines;

/// <summary>A stone as the baseline stores it: identity, update time, the verbatim JSON and its SHA-256 (as the pipeline stores it).</summary>
public sealed record FetchedStone(string Id, string? OfferId, DateTime UpdatedAt, string Payload, byte[] Hash);

/// <summary>
/// The fetch half of the physical limit: the simulator's whole catalogue in pages of 50 (<c>offset</c>/<c>limit</c>,
/// no filter), read by <c>readers</c> parallel loops over plain HTTP and JSON — no rate limiter, no resilience
/// pipeline, no queue — and handed over as they arrive, so the COPY runs while pages are still being fetched.
/// </summary>
public static class SimulatorReader
{
    public static ChannelReader<IReadOnlyList<FetchedStone>> ReadAll(Uri baseUrl, int stones, int readers, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<IReadOnlyList<FetchedStone>>(new BoundedChannelOptions(readers * 4) { SingleReader = true });
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var nextOffset = -BenchFeed.PageSize;
        async Task ReadLoopAsync()
        {
            int offset;
            while ((offset = Interlocked.Add(ref nextOffset, BenchFeed.PageSize)) < stones)
            {
                var limit = Math.Min(BenchFeed.PageSize, stones - offset);
                await channel.Writer.WriteAsync(await FetchPageAsync(http, offset, limit, cancellationToken), cancellationToken);
            }
        }
        _ = Task.WhenAll(Enumerable.Range(0, readers).Select(_ => ReadLoopAsync())).ContinueWith(done =>
        {
            http.Dispose();
            channel.Writer.Complete(done.Exception?.GetBaseException());
        }, TaskScheduler.Default);
        return channel.Reader;
    }

    private static async Task<IReadOnlyList<FetchedStone>> FetchPageAsync(HttpClient http, int offset, int limit, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"api/v1/diamonds?offset={offset}&limit={limit}", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken);
        var items = document.RootElement.GetProperty("items");
        var page = new List<FetchedStone>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            var payload = item.GetRawText();
            page.Add(new FetchedStone(
                item.GetProperty("id").GetString()!,
                item.TryGetProperty("offerId", out var offer) ? offer.GetString() : null,
                item.GetProperty("updatedAt").GetDateTimeOffset().UtcDateTime,
                payload,
                SHA256.HashData(Encoding.UTF8.GetBytes(payload))));
        }
        return page.Count == limit ? page : throw new BenchmarkFailedException($"The simulator gave {page.Count} stones at offset {offset}, not {limit}.");
    }
}
