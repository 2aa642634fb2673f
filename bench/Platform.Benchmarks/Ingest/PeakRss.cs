namespace Platform.Benchmarks.Ingest;

/// <summary>
/// Samples a process's resident memory every 100 ms from <c>/proc/{pid}/status</c> until disposed. Keeps the larger
/// of the sampled <c>VmRSS</c> and the kernel's own high-water mark <c>VmHWM</c>, which also catches spikes between samples.
/// </summary>
public sealed class PeakRss : IAsyncDisposable
{
    private readonly string _status;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakKilobytes;

    public PeakRss(int processId)
    {
        _status = $"/proc/{processId}/status";
        _sampling = SampleAsync();
    }

    public double PeakMegabytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peakKilobytes) / 1024.0;
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Sample()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(_status);
        }
        catch (IOException)
        {
            return; // The process has gone; the peak so far stands.
        }
        foreach (var line in lines)
        {
            if ((line.StartsWith("VmRSS:", StringComparison.Ordinal) || line.StartsWith("VmHWM:", StringComparison.Ordinal))
                && long.TryParse(line[6..].Replace("kB", "", StringComparison.Ordinal).Trim(), out var kilobytes))
            {
                long seen;
                while (kilobytes > (seen = Interlocked.Read(ref _peakKilobytes))
                       && Interlocked.CompareExchange(ref _peakKilobytes, kilobytes, seen) != seen)
                {
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
