using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Platform.Benchmarks;
using Platform.Benchmarks.Ingest;
using Platform.Benchmarks.Queue;
using Platform.Benchmarks.Search;

if (Environment.GetEnvironmentVariable("PLATFORM_BENCH_ROLE") == BaselineServer.Role)
{
    await BaselineServer.RunAsync(args);
    return 0;
}

if (BenchArguments.Parse(args) is not { } arguments)
{
    Console.Error.WriteLine(BenchArguments.Usage);
    return 2;
}

// The api and the worker refuse to start without a secrets-at-rest key outside Development; the benchmark's processes
// inherit this throwaway one (nothing they encrypt outlives the run).
Environment.SetEnvironmentVariable("Secrets__EncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
// The simulator listens on 127.0.0.1, which the SSRF guard refuses outside Development and Testing (ADR 0034).
Environment.SetEnvironmentVariable("Security__Egress__AllowPrivateNetworks", "true");
Environment.SetEnvironmentVariable("Security__Egress__AllowHttp", "true");

// Every wait below is bounded by this deadline. Ctrl+C and SIGTERM cancel it instead of ending the process, so the
// clusters, servers and processes started so far are still stopped and removed on the way out.
using var cancellation = new CancellationTokenSource(BenchArguments.Timeout);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
try
{
    if (arguments.Runs("ingest"))
    {
        await IngestBenchmark.RunAsync(arguments, cancellation.Token);
    }
    if (arguments.Runs("queue"))
    {
        await QueueBenchmark.RunAsync(arguments.Messages, arguments.NpgsqlSettings, cancellation.Token);
    }
    if (arguments.Runs("search"))
    {
        await SearchBenchmark.RunAsync(arguments, cancellation.Token);
    }
    return 0;
}
catch (BenchmarkFailedException failed)
{
    Console.Error.WriteLine($"bench: FAILED: {failed.Message}");
    return 1;
}
catch (Exception) when (cancellation.IsCancellationRequested)
{
    // Whatever broke after Ctrl+C or SIGTERM (child processes get the signal too) is the interruption, not a finding.
    Console.Error.WriteLine($"bench: cancelled or over the {BenchArguments.Timeout.TotalMinutes} min deadline.");
    return 1;
}

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = true;
    cancellation.Cancel();
}
