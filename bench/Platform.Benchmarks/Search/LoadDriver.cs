using System.Diagnostics;
using System.Net;

namespace Platform.Benchmarks.Search;

/// <summary>
/// Throughput and p95 latency of one phase: a warm-up, then <c>connections</c> closed loops for a fixed time; and the
/// server's CPU per answered request over the measured window, which moves much less than throughput with the load
/// other tenants put on this machine (REST in one hour: 274–720 req/s, 1.28–1.61 ms per request).
/// </summary>
public sealed record LoadFigures(double RequestsPerSecond, double P95Milliseconds, double P50Milliseconds, long Requests, long Failures, double ServerCpuMilliseconds);

/// <summary>
/// Drives a server with <c>connections</c> concurrent closed loops (each sends its next request when the previous
/// answer is read) over one pooled HTTP handler with exactly that many connections. Every answer must be 200: a
/// failure is counted and the phase fails, so a benchmark never reports the speed of error pages.
/// </summary>
public static class LoadDriver
{
    public static async Task<LoadFigures> RunAsync(
        Uri baseAddress, int serverProcessId, string apiKey, int connections, TimeSpan warmUp, TimeSpan duration, Func<Random, HttpRequestMessage> next,
        CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);

        await LoopAllAsync(client, connections, warmUp, next, seedBase: 1000, cancellationToken);
        var clock = Stopwatch.StartNew();
        var serverCpu = CpuMeter.ProcessSeconds(serverProcessId);
        var loops = await LoopAllAsync(client, connections, duration, next, seedBase: 0, cancellationToken);
        var elapsed = clock.Elapsed;
        serverCpu = CpuMeter.ProcessSeconds(serverProcessId) - serverCpu;

        var latencies = loops.SelectMany(loop => loop.Latencies).Order().ToArray();
        var failures = loops.Sum(loop => loop.Failures);
        if (latencies.Length == 0 || failures > 0)
        {
            throw new BenchmarkFailedException($"{failures} of {latencies.Length + failures} requests to {baseAddress} failed; first: {loops.Select(l => l.FirstFailure).FirstOrDefault(f => f is not null)}");
        }
        return new LoadFigures(latencies.Length / elapsed.TotalSeconds, Percentile(latencies, 0.95), Percentile(latencies, 0.50), latencies.Length, failures,
            serverCpu * 1000 / latencies.Length);
    }

    private static async Task<Loop[]> LoopAllAsync(
        HttpClient client, int connections, TimeSpan duration, Func<Random, HttpRequestMessage> next, int seedBase, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(duration);
        return await Task.WhenAll(Enumerable.Range(0, connections).Select(i => new Loop(seedBase + i).RunAsync(client, next, deadline.Token, cancellationToken)));
    }

    private static double Percentile(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];

    private sealed class Loop(int seed)
    {
        public List<double> Latencies { get; } = new(4096);

        public long Failures { get; private set; }

        public string? FirstFailure { get; private set; }

        public async Task<Loop> RunAsync(HttpClient client, Func<Random, HttpRequestMessage> next, CancellationToken deadline, CancellationToken cancellationToken)
        {
            var random = new Random(seed);
            while (!deadline.IsCancellationRequested)
            {
                using var request = next(random);
                var started = Stopwatch.GetTimestamp();
                // The deadline does not cancel a request in flight: its answer is counted like any other.
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.OK && !await HasGraphQlErrorsAsync(response, cancellationToken))
                {
                    Latencies.Add(elapsed);
                }
                else
                {
                    Failures++;
                    FirstFailure ??= $"{request.Method} {request.RequestUri} → {(int)response.StatusCode}: {Truncate(await response.Content.ReadAsStringAsync(cancellationToken))}";
                }
            }
            return this;
        }

        private static async Task<bool> HasGraphQlErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
            response.RequestMessage?.RequestUri?.OriginalString == "/graphql"
            && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"errors\"", StringComparison.Ordinal);

        private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
    }
}
