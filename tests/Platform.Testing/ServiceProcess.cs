using System.Diagnostics;
using System.Reflection;

namespace Platform.Testing;

/// <summary>
/// One of our services as a real OS process (<c>dotnet X.dll --urls …</c>), for tests that kill processes with
/// SIGKILL and start them again. Output goes to a log file next to the test run so a failure can be read.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;

    public ServiceProcess(string project, int port, IReadOnlyDictionary<string, string> environment, string logName)
        : this(port, environment, logName, BuiltDll(project))
    {
    }

    /// <summary>Any built .NET program that serves <c>/health/live</c> on <c>--urls</c>, e.g. a benchmark's baseline server.</summary>
    public static ServiceProcess ForDll(string dll, int port, IReadOnlyDictionary<string, string> environment, string logName) =>
        new(port, environment, logName, dll);

    private ServiceProcess(int port, IReadOnlyDictionary<string, string> environment, string logName, string dll)
    {
        _dll = dll;
        Port = port;
        _environment = environment;
        _logPath = Path.Combine(Path.GetTempPath(), "platform-test-logs", $"{logName}-{port}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(_logPath)!);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string LogPath => _logPath;
    public int Starts { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The OS process id while running (the benchmark samples its memory from /proc).</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public async Task StartAsync(TimeSpan? readyTimeout = null)
    {
        // The output folder is the content root, so the service reads its own appsettings.json as in production.
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        info.ArgumentList.Add(_dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(Url);
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        await log.WriteLineAsync($"---- start {++Starts} at {DateTime.UtcNow:O}");
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        _process.EnableRaisingEvents = true;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(_dll)} exited with {_process.ExitCode}; see {_logPath}");
            }
            try
            {
                return (await http.GetAsync($"{Url}/health/live")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, readyTimeout ?? TimeSpan.FromSeconds(60), $"{Path.GetFileName(_dll)} answers /health/live (log: {_logPath})");
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful release — a crash at whatever line it was on.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _process = null;
    }

    /// <summary>The built <c>src/{project}/bin/{configuration}/net10.0/{project}.dll</c> of this checkout.</summary>
    public static string BuiltDll(string project)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryRoot.Path, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {project} ({configuration}) first: {dll} is missing.", dll);
    }
}
