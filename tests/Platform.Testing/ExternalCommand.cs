using System.Diagnostics;

namespace Platform.Testing;

/// <summary>Runs a server binary for the harness, as the <c>postgres</c> user when we are root (initdb refuses root).</summary>
public static class ExternalCommand
{
    public static bool IsRoot => Environment.UserName == "root";

    public static ProcessStartInfo For(string file, IEnumerable<string> args, bool asPostgresUser)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgresUser && IsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = file;
        }
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        return info;
    }

    /// <summary>Runs to completion; a non-zero exit throws with the command's output so a failing harness explains itself.</summary>
    public static async Task RunAsync(string file, IEnumerable<string> args, bool asPostgresUser = false, TimeSpan? timeout = null)
    {
        using var process = Process.Start(For(file, args, asPostgresUser))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
