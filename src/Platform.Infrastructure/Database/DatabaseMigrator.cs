namespace Platform.Infrastructure.Database;

/// <summary>
/// Applies the embedded migrations in order, each in its own transaction, recording them in
/// <c>schema_migrations</c>. A session-level advisory lock makes concurrent starters (several api and
/// worker replicas) safe: one applies, the others wait and then find nothing left to do.
/// </summary>
public sealed partial class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    /// <summary>"Platform" in ASCII: one lock for every migrator of this database.</summary>
    private const long AdvisoryLockKey = 0x506C6174666F726D;

    /// <summary>Long enough for another replica to finish a large migration while this one waits.</summary>
    private const int LockWaitSeconds = 600;

    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer PRIMARY KEY,
            name        text        NOT NULL,
            checksum    text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var scripts = MigrationScript.LoadEmbedded();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, commandTimeout: LockWaitSeconds, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateJournal, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
                "SELECT version, name, checksum FROM schema_migrations", cancellationToken: cancellationToken)))
                .ToDictionary(m => m.Version);

            Verify(scripts, applied);
            var appliedNow = new List<string>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.Version)))
            {
                await ApplyAsync(connection, script, cancellationToken);
                appliedNow.Add($"{script.Version:D4}_{script.Name}");
            }
            var current = scripts.Count == 0 ? 0 : scripts[^1].Version;
            return new MigrationReport(appliedNow, current);
        }
        finally
        {
            // Released explicitly so the pooled connection does not carry the lock; a dead session releases it anyway.
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
        }
    }

    private void Verify(IReadOnlyList<MigrationScript> scripts, Dictionary<int, AppliedMigration> applied)
    {
        foreach (var script in scripts)
        {
            if (applied.TryGetValue(script.Version, out var done) && done.Checksum != script.Checksum)
            {
                throw new InvalidOperationException(
                    $"Migration {script.Version:D4}_{script.Name} was changed after it was applied (checksum {done.Checksum} in the database, " +
                    $"{script.Checksum} in the code). Migrations are forward-only: add a new numbered migration instead.");
            }
        }
        var newest = scripts.Count == 0 ? 0 : scripts[^1].Version;
        foreach (var unknown in applied.Values.Where(m => m.Version > newest))
        {
            // A newer release already migrated this database (rolling deploy): older code keeps running.
            LogNewerSchema(unknown.Version, unknown.Name);
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, commandTimeout: LockWaitSeconds, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)",
            new { script.Version, script.Name, script.Checksum }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        LogApplied(script.Version, script.Name);
    }

    private sealed record AppliedMigration(int Version, string Name, string Checksum);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version:D4}_{Name}")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migration {Version:D4}_{Name}, newer than this release knows")]
    private partial void LogNewerSchema(int version, string name);
}

/// <summary>What a migration pass did: the migrations it applied and the schema version the code expects.</summary>
public sealed record MigrationReport(IReadOnlyList<string> Applied, int SchemaVersion);
