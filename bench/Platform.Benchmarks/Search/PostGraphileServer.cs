using System.Text;

namespace Platform.Benchmarks.Search;

/// <summary>
/// PostGraphile 4 (npm, with <c>postgraphile-plugin-connection-filter</c>) on the benchmark's database, for the
/// comparison in docs/performance.md. Installed by <c>./bench.sh search</c> into <c>bench/postgraphile</c>; when it is
/// not there the comparison is skipped with a note.
/// </summary>
public sealed class PostGraphileServer : IAsyncDisposable
{
    private readonly Process process;

    private PostGraphileServer(Process process, int port)
    {
        this.process = process;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public int ProcessId => process.Id;

    public static string Cli => Path.Combine(RepositoryRoot.Path, "bench", "postgraphile", "node_modules", "postgraphile", "cli.js");

    public static async Task<PostGraphileServer> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var password = settings.Password is { Length: > 0 } secret ? ":" + Uri.EscapeDataString(secret) : "";
        var url = $"postgres://{Uri.EscapeDataString(settings.Username!)}{password}@{settings.Host}:{settings.Port}/{settings.Database}";
        var port = FreePort.Next();
        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Cli, "--connection", url, "--schema", "public", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--append-plugins", "postgraphile-plugin-connection-filter", "--disable-query-log", "--simple-collections", "omit"])
        {
            info.ArgumentList.Add(argument);
        }
        var log = new StringBuilder();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PostGraphileServer(process, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                lock (log)
                {
                    throw new BenchmarkFailedException($"PostGraphile did not start: {log}");
                }
            }
            try
            {
                using var probe = await http.PostAsync($"{server.Url}/graphql",
                    new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"), cancellationToken);
                if (probe.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Still introspecting the schema.
            }
            await Task.Delay(250, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
