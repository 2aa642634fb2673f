using Npgsql;

namespace Platform.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster (initdb + pg_ctl from the installed binaries, free port, temp dir, durability
/// off for speed), or the server named by <c>PLATFORM_TEST_POSTGRES</c> (an admin connection string).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "PLATFORM_TEST_POSTGRES";

    private readonly string? _directory;
    private readonly string _binaries;

    private PostgresServer(string adminConnectionString, string? directory, string binaries)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
        _binaries = binaries;
    }

    /// <summary>Connects as a superuser to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    public bool IsOwned => _directory is not null;

    private string DataDirectory => Path.Combine(_directory!, "data");

    public static async Task<PostgresServer> CreateAsync()
    {
        var binaries = Environment.GetEnvironmentVariable("PLATFORM_PG_BIN") ?? "/usr/lib/postgresql/15/bin";
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            return new PostgresServer(external, null, binaries);
        }

        var directory = Path.Combine(Path.GetTempPath(), $"platform-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        if (ExternalCommand.IsRoot)
        {
            await ExternalCommand.RunAsync("chown", ["postgres:postgres", directory]);
        }
        var port = FreePort.Next();
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true", directory, binaries);
        await ExternalCommand.RunAsync(Path.Combine(binaries, "initdb"),
            ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgresUser: true);
        await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "postgresql.conf"), $"""

            port = {port}
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{directory}'
            max_connections = 400
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            shared_buffers = 256MB
            """);
        await server.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().GetAwaiter().GetResult();
        return server;
    }

    /// <summary>Starts the owned cluster (again, after <see cref="StopAsync"/>: used by restart tests).</summary>
    public Task StartAsync() => IsOwned
        ? ExternalCommand.RunAsync(Path.Combine(_binaries, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(_directory!, "server.log"), "-w", "-t", "60", "start"], asPostgresUser: true)
        : Task.CompletedTask;

    /// <summary>
    /// Makes <paramref name="role"/> log in over TCP with its password (scram-sha-256) on the owned cluster, whose
    /// other roles stay on <c>trust</c>: a rule ahead of the others in pg_hba.conf, then a configuration reload.
    /// </summary>
    public async Task RequirePasswordForAsync(string role)
    {
        if (!IsOwned)
        {
            throw new InvalidOperationException("Only a cluster the tests own can have its pg_hba.conf changed.");
        }
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        // Rewritten in place, so the file keeps its owner (the postgres user) when the tests run as root.
        await File.WriteAllTextAsync(hba, $"host all \"{role}\" 127.0.0.1/32 scram-sha-256\n" + await File.ReadAllTextAsync(hba));
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", admin);
        await reload.ExecuteScalarAsync();
        // The postmaster reloads on a signal, a moment later: wait until the role is refused without a password.
        var passwordless = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = role, Pooling = false }.ConnectionString;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(50))
        {
            try
            {
                await using var probe = new NpgsqlConnection(passwordless);
                await probe.OpenAsync();
            }
            catch (NpgsqlException)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"pg_hba.conf still lets {role} in without a password.");
            }
        }
    }

    /// <summary>Stops the owned cluster at once, as a crash would.</summary>
    public async Task StopAsync()
    {
        if (IsOwned && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await ExternalCommand.RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asPostgresUser: true);
        }
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
