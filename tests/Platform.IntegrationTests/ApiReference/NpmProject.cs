using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Platform.IntegrationTests.ApiReference;

/// <summary>
/// An npm project of the repository (a real client of the api), run with the machine's npm. Dependencies are installed
/// with <c>npm ci</c> once per <c>package-lock.json</c>: a stamp in <c>node_modules</c> records the lock it installed.
/// </summary>
internal sealed class NpmProject(string directory)
{
    private const string Stamp = ".platform-installed-lock";

    public string Directory { get; } = directory;

    public async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(Directory, "package-lock.json"), cancellationToken)));
        var stamp = Path.Combine(Directory, "node_modules", Stamp);
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken) == lockHash)
        {
            return;
        }
        await RunAsync(["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(5), cancellationToken);
        await File.WriteAllTextAsync(stamp, lockHash, cancellationToken);
    }

    /// <summary>Runs <c>npm run --silent {script}</c>; a non-zero exit throws with everything it printed.</summary>
    public Task<string> RunScriptAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(["run", "--silent", script], environment, timeout, cancellationToken);

    private async Task<string> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "npm is not installed, and this test needs it (Node 20 + npm). scripts/prerequisites.sh installs it: run ./test.sh, or apt-get install -y nodejs npm.", e);
        }
        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"npm {string.Join(' ', args)} did not finish within {timeout}:\n{Read(output)}");
            }
            // The exit event can come before the last redirected lines; this wait drains them.
            await process.WaitForExitAsync(CancellationToken.None);
            return process.ExitCode == 0
                ? Read(output)
                : throw new InvalidOperationException($"npm {string.Join(' ', args)} exited with {process.ExitCode} in {Directory}:\n{Read(output)}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
