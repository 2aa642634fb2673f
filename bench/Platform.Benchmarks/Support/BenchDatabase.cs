using Microsoft.Extensions.Logging.Abstractions;
using Platform.Infrastructure.Database;

namespace Platform.Benchmarks.Support;

/// <summary>
/// A fresh, migrated database for one measured side, so neither side sees the other's rows or dead tuples. On a server
/// named by <c>PLATFORM_TEST_POSTGRES</c> (e.g. one with pg_stat_statements, for profiling) it is dropped afterwards;
/// a throwaway cluster goes away whole. <c>PLATFORM_BENCH_KEEP_DATABASES=1</c> keeps them there, to replay the measured
/// queries with <c>EXPLAIN ANALYZE</c> afterwards.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly string _name;

    private BenchDatabase(PostgresServer server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(PostgresServer server, string purpose, CancellationToken cancellationToken)
    {
        var database = new BenchDatabase(server, $"{purpose}_{Guid.NewGuid().ToString("N")[..8]}");
        await database.AdminAsync($"CREATE DATABASE {database._name}", cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);
        return database;
    }

    /// <summary>The connection string with extra Npgsql settings (<c>--npgsql</c>) for the measured side, e.g. <c>No Reset On Close=true</c>.</summary>
    public string ConnectionStringWith(string npgsqlSettings) =>
        npgsqlSettings.Length == 0 ? ConnectionString : new NpgsqlConnectionStringBuilder($"{ConnectionString};{npgsqlSettings}").ConnectionString;

    public NpgsqlDataSource CreateDataSource(string npgsqlSettings = "") => NpgsqlDataSource.Create(ConnectionStringWith(npgsqlSettings));

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(_server.AdminConnectionString);
        await admin.OpenAsync(cancellationToken);
        await admin.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.IsOwned && Environment.GetEnvironmentVariable("PLATFORM_BENCH_KEEP_DATABASES") == "1")
        {
            Console.WriteLine($"  kept database {_name} (PLATFORM_BENCH_KEEP_DATABASES=1)");
        }
        else if (!_server.IsOwned)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", CancellationToken.None);
        }
    }
}
