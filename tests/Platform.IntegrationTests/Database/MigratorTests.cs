using Microsoft.Extensions.Logging.Abstractions;
using Platform.Infrastructure.Database;

namespace Platform.IntegrationTests.Database;

public sealed class MigratorTests(PlatformServers servers)
{
    private static readonly IReadOnlyList<MigrationScript> Scripts = MigrationScript.LoadEmbedded();

    [Fact]
    public async Task Empty_database_gets_every_migration_recorded_in_order()
    {
        var database = await servers.CreateDatabaseAsync(migrated: false);
        await using var dataSource = database.CreateDataSource();

        var report = await Migrator(dataSource).MigrateAsync();

        report.Applied.Count.ShouldBe(Scripts.Count);
        report.SchemaVersion.ShouldBe(Scripts[^1].Version);
        await using var connection = await dataSource.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<(int Version, string Checksum)>(
            "SELECT version, checksum FROM schema_migrations ORDER BY version")).ToList();
        recorded.ShouldBe(Scripts.Select(s => (s.Version, s.Checksum)).ToList());
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM plans")).ShouldBe(3);
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        var database = await servers.CreateDatabaseAsync(migrated: false);
        await using var dataSource = database.CreateDataSource();
        await Migrator(dataSource).MigrateAsync();

        var again = await Migrator(dataSource).MigrateAsync();

        again.Applied.ShouldBeEmpty();
    }

    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        var database = await servers.CreateDatabaseAsync(migrated: false);
        await using var dataSource = database.CreateDataSource();

        var reports = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Migrator(dataSource).MigrateAsync())));

        reports.Sum(r => r.Applied.Count).ShouldBe(Scripts.Count);
        await using var connection = await dataSource.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations")).ShouldBe(Scripts.Count);
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_is_refused_by_checksum()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(() => Migrator(dataSource).MigrateAsync());

        error.Message.ShouldContain("0001_plans");
        error.Message.ShouldContain("forward-only");
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var database = await servers.CreateDatabaseAsync(migrated: false);
        await using var dataSource = database.CreateDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // A table in the way of migration 0002 makes it fail midway.
            await connection.ExecuteAsync("CREATE TABLE organizations (id int)");
        }

        await Should.ThrowAsync<PostgresException>(() => Migrator(dataSource).MigrateAsync());

        await using var check = await dataSource.OpenConnectionAsync();
        (await check.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ShouldBe([1]);
    }

    [Fact]
    public void Scripts_are_numbered_without_gaps()
    {
        Scripts.Select(s => s.Version).ShouldBe(Enumerable.Range(1, Scripts.Count));
    }

    private static DatabaseMigrator Migrator(NpgsqlDataSource dataSource) => new(dataSource, NullLogger<DatabaseMigrator>.Instance);
}
