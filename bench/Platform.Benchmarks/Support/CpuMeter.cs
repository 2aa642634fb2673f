namespace Platform.Benchmarks.Support;

/// <summary>
/// CPU seconds spent by named processes, and by the whole machine, between <see cref="Start"/> and <see cref="Stop"/>,
/// read from <c>/proc</c> (Linux clock ticks, 100 per second): on 2 cores it shows who the wall time went to.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly Dictionary<string, double> _started;
    private readonly (double Busy, double Idle) _machineStarted;

    private CpuMeter(IReadOnlyDictionary<string, int> processes)
    {
        _processes = processes;
        _started = processes.ToDictionary(p => p.Key, p => ProcessSeconds(p.Value));
        _machineStarted = MachineSeconds();
    }

    public static CpuMeter Start(IReadOnlyDictionary<string, int> processes) => new(processes);

    /// <summary>E.g. <c>worker 30.1 s, simulator 4.2 s, the rest (Postgres, …) 15 s, idle 3.1 s</c>; the rest is every other process.</summary>
    public string Stop()
    {
        var used = _processes.ToDictionary(p => p.Key, p => ProcessSeconds(p.Value) - _started[p.Key]);
        var (busy, idle) = MachineSeconds();
        var rest = busy - _machineStarted.Busy - used.Values.Sum();
        return string.Join(", ", used.Select(p => $"{p.Key} {Figures.Format(p.Value)} s").Append(
            $"the rest (Postgres, …) {Figures.Format(rest)} s, idle {Figures.Format(idle - _machineStarted.Idle)} s (CPU seconds)"));
    }

    /// <summary>CPU seconds (user and system) the process has used so far.</summary>
    public static double ProcessSeconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static (double Busy, double Idle) MachineSeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        var busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
        return (busy / TicksPerSecond, idle / TicksPerSecond);
    }
}
