using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Infrastructure.Database;
using Xunit;

namespace Platform.Testing;

/// <summary>
/// One Postgres and one Redis for a whole test assembly (an xunit assembly fixture), plus a migrated template
/// database from which every test gets a fresh database in milliseconds.
/// </summary>
public sealed class PlatformServers : IAsyncLifetime
{
    private const string TemplateName = "platform_template";

    public PostgresServer Postgres { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var postgres = PostgresServer.CreateAsync();
        var redis = RedisServer.StartSharedAsync();
        Postgres = await postgres;
        Redis = await redis;
        await CreateTemplateAsync();
    }

    /// <summary>A new database with every migration applied, private to the caller.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(bool migrated = true)
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(Postgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}{(migrated ? $" TEMPLATE {TemplateName}" : "")}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(new NpgsqlConnectionStringBuilder(Postgres.AdminConnectionString) { Database = name }.ConnectionString);
    }

    private async Task CreateTemplateAsync()
    {
        await using (var admin = new NpgsqlConnection(Postgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {TemplateName}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(Postgres.AdminConnectionString) { Database = TemplateName, Pooling = false }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

/// <summary>A database private to one test.</summary>
public sealed class TestDatabase(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);
}
