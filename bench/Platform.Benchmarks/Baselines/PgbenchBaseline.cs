using System.Text.RegularExpressions;
using Platform.Benchmarks.Queue;

namespace Platform.Benchmarks.Baselines;

/// <summary>What pgbench measured: its tps without connection time, and how many of its transactions really deleted a row.</summary>
public sealed record PgbenchResult(double TransactionsPerSecond, long Transactions, long Deleted)
{
    /// <summary>Messages per second: a transaction that found every row locked deletes nothing and is not a message.</summary>
    public double MessagesPerSecond => TransactionsPerSecond * Deleted / Transactions;
}

/// <summary>
/// The raw <c>SKIP LOCKED</c> ceiling of the Postgres transport (PLATFORM §12): 4 pgbench clients, each transaction one
/// statement that claims and deletes the oldest visible message — no lease, no attempt count, no handler, no settle.
/// </summary>
public static partial class PgbenchBaseline
{
    public const int Clients = 4;

    private const string Dequeue = $"""
        DELETE FROM queue_messages WHERE id = (SELECT id FROM queue_messages WHERE queue = '{QueueBenchmark.Queue}' AND visible_at <= now() ORDER BY visible_at, id LIMIT 1 FOR UPDATE SKIP LOCKED);
        """;

    public static async Task<PgbenchResult> MeasureAsync(string connectionString, int messages, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"platform-bench-dequeue-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Dequeue + "\n", cancellationToken);
        try
        {
            var database = new NpgsqlConnectionStringBuilder(connectionString);
            var perClient = messages / Clients;
            var binaries = Environment.GetEnvironmentVariable("PLATFORM_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
            var output = await RunAsync(Path.Combine(binaries, "pgbench"),
                ["-n", "-c", Clients.ToString(), "-j", "2", "-t", perClient.ToString(), "-f", script,
                 "-h", database.Host!, "-p", database.Port.ToString(), "-U", database.Username!, database.Database!],
                database.Password, cancellationToken);
            var tps = TpsLine().Match(output) is { Success: true } match
                ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new BenchmarkFailedException($"pgbench printed no tps line:\n{output}");
            await using var connection = new NpgsqlConnection(connectionString);
            var left = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM queue_messages", cancellationToken: cancellationToken));
            return new PgbenchResult(tps, (long)perClient * Clients, messages - left);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string? password, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (password is not null)
        {
            info.Environment["PGPASSWORD"] = password;
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new BenchmarkFailedException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return process.ExitCode == 0
            ? await stdout
            : throw new BenchmarkFailedException($"pgbench exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
