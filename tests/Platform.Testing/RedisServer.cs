using System.Diagnostics;
using StackExchange.Redis;

namespace Platform.Testing;

/// <summary>
/// A throwaway <c>redis-server</c> on a free port with persistence off, or the server named by
/// <c>PLATFORM_TEST_REDIS</c> (host:port). Tests that stop Redis start their own instance.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "PLATFORM_TEST_REDIS";

    private Process? _process;

    private RedisServer(string connectionString, int? port)
    {
        ConnectionString = connectionString;
        Port = port;
    }

    /// <summary>For <c>ConnectionStrings:cache</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The owned server's port; null for an external server.</summary>
    public int? Port { get; }

    public static Task<RedisServer> StartSharedAsync() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external
            ? Task.FromResult(new RedisServer(external, null))
            : StartOwnedAsync();

    public static async Task<RedisServer> StartOwnedAsync()
    {
        var port = FreePort.Next();
        var server = new RedisServer($"127.0.0.1:{port}", port);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (Port is not { } port || _process is { HasExited: false })
        {
            return;
        }
        _process = Process.Start(ExternalCommand.For("redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], asPostgresUser: false))!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();

        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=false,connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return true;
            }
            catch (RedisException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(15), "redis-server did not answer PING");
    }

    /// <summary>Kills the owned server, as an outage would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _process = null;
    }
}
