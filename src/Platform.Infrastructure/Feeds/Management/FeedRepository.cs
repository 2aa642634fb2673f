using System.Text.Json;
using Platform.Infrastructure.Security;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.Infrastructure.Tenancy;

namespace Platform.Infrastructure.Feeds.Management;

/// <summary>
/// Organization-scoped reads and writes of feeds (PLATFORM §6), on a <see cref="TenantConnection"/> so row-level security
/// backs the <c>org_id</c> filters (ADR 0029). Credentials are encrypted with <see cref="SecretProtector"/>
/// before they reach SQL and are never selected here. Every write and its audit entry share one transaction; creation
/// locks the organization row so two concurrent creations cannot both take the last slot of the plan's <c>max_feeds</c>.
/// </summary>
public sealed class FeedRepository(NpgsqlDataSource dataSource, SecretProtector protector)
{
    /// <summary>Upper bound of a listing (plans allow far fewer feeds).</summary>
    public const int MaxListed = 1000;

    private const string Columns = """
        id AS "Id", name AS "Name", adapter AS "Adapter", config::text AS "ConfigJson", schedule_cron AS "ScheduleCron", enabled AS "Enabled",
        page_size AS "PageSize", upstream_rps AS "UpstreamRps", credentials IS NOT NULL AS "HasCredentials", created_at AS "CreatedAt", updated_at AS "UpdatedAt"
        """;

    public async Task<IReadOnlyList<FeedRecord>> ListAsync(Guid orgId, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM feeds WHERE org_id = @orgId ORDER BY created_at, id LIMIT @limit",
            new { orgId, limit = MaxListed }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    public async Task<FeedRecord?> FindAsync(Guid orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        return await FindAsync(connection, null, orgId, id, forUpdate: false, cancellationToken);
    }

    /// <summary>Creates a feed unless the organization has <c>max_feeds</c> feeds already (disabled ones count) or the name is taken.</summary>
    public async Task<FeedWriteResult> CreateAsync(Guid orgId, Guid id, FeedChanges feed, FeedChangeActor actor, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The organization row is the lock: creations of one organization queue here, other organizations are not blocked.
        // NO KEY UPDATE leaves the foreign-key share locks of other writers alone. The count is a separate statement: in
        // READ COMMITTED it takes a new snapshot, so it sees the feed the previous lock holder committed (ADR 0024).
        var maxFeeds = await connection.QuerySingleAsync<int>(new CommandDefinition("""
            SELECT COALESCE(o.max_feeds_override, p.max_feeds)
            FROM organizations o JOIN plans p ON p.code = o.plan
            WHERE o.id = @orgId
            FOR NO KEY UPDATE OF o
            """, new { orgId }, transaction, cancellationToken: cancellationToken));
        var feeds = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM feeds WHERE org_id = @orgId", new { orgId }, transaction, cancellationToken: cancellationToken));
        if (feeds >= maxFeeds)
        {
            return new FeedWriteResult(FeedWriteOutcome.LimitReached, MaxFeeds: maxFeeds);
        }
        if (await NameTakenAsync(connection, transaction, orgId, feed.Name, exceptId: null, cancellationToken))
        {
            return new FeedWriteResult(FeedWriteOutcome.NameTaken);
        }
        var created = await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO feeds (id, org_id, name, adapter, config, schedule_cron, enabled, page_size, upstream_rps, credentials)
            VALUES (@id, @orgId, @Name, @Adapter, @ConfigJson::jsonb, @ScheduleCron, @Enabled, @PageSize, @UpstreamRps, @credentials)
            RETURNING {Columns}
            """, Parameters(orgId, id, feed, Protect(id, feed.Credentials)), transaction, cancellationToken: cancellationToken));
        var record = created.ToRecord();
        await AuditAsync(connection, transaction, orgId, "feed.created", null, record, feed.Credentials is { Length: > 0 }, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FeedWriteResult(FeedWriteOutcome.Done, record);
    }

    /// <summary>
    /// Applies <paramref name="patch"/> to the locked current feed; a null from it means the patch is invalid and nothing is written.
    /// </summary>
    public async Task<FeedWriteResult> UpdateAsync(
        Guid orgId, Guid id, Func<FeedRecord, FeedChanges?> patch, FeedChangeActor actor, CancellationToken cancellationToken)
    {
        await using var tenant = await TenantConnection.OpenAsync(dataSource, orgId, cancellationToken);
        var connection = tenant.Connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await FindAsync(connection, transaction, orgId, id, forUpdate: true, cancellationToken);
        if (before is null)
        {
            return new FeedWriteResult(FeedWriteOutcome.NotFound);
        }
        if (patch(before) is not { } feed)
        {
            return new FeedWriteResult(FeedWriteOutcome.Invalid);
        }
        if (await NameTakenAsync(connection, transaction, orgId, feed.Name, exceptId: id, cancellationToken))
        {
            return new FeedWriteResult(FeedWriteOutcome.NameTaken);
        }
        var after = (await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
            UPDATE feeds
            SET name = @Name, adapter = @Adapter, config = @ConfigJson::jsonb, schedule_cron = @ScheduleCron, enabled = @Enabled,
                page_size = @PageSize, upstream_rps = @UpstreamRps,
                credentials = CASE WHEN @keepCredentials THEN credentials ELSE @credentials END,
                -- Credentials sent through the API replace an operator-configured secret reference (which would win otherwise).
                secret_ref = CASE WHEN @keepCredentials THEN secret_ref END, updated_at = now()
            WHERE org_id = @orgId AND id = @id
            RETURNING {Columns}
            """, Parameters(orgId, id, feed, Protect(id, feed.Credentials)), transaction, cancellationToken: cancellationToken))).ToRecord();
        await AuditAsync(connection, transaction, orgId, "feed.updated", before, after, feed.Credentials is not null, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FeedWriteResult(FeedWriteOutcome.Done, after);
    }

    private byte[]? Protect(Guid id, string? credentials) =>
        credentials is { Length: > 0 } ? protector.Protect(credentials, StoredFeedSecretResolver.Purpose(id)) : null;

    private static object Parameters(Guid orgId, Guid id, FeedChanges feed, byte[]? credentials) => new
    {
        id, orgId, feed.Name, feed.Adapter, feed.ConfigJson, feed.ScheduleCron, feed.Enabled, feed.PageSize, feed.UpstreamRps,
        credentials, keepCredentials = feed.Credentials is null,
    };

    private static Task<bool> NameTakenAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, string name, Guid? exceptId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM feeds WHERE org_id = @orgId AND name = @name AND id IS DISTINCT FROM @exceptId)",
            new { orgId, name, exceptId }, transaction, cancellationToken: cancellationToken));

    private static async Task<FeedRecord?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid orgId, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM feeds WHERE org_id = @orgId AND id = @id{(forUpdate ? " FOR UPDATE" : "")}",
            new { orgId, id }, transaction, cancellationToken: cancellationToken)))?.ToRecord();

    // The audit entry says that credentials changed, never what they are.
    private static Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, string action, FeedRecord? before, FeedRecord after,
        bool credentialsChanged, FeedChangeActor actor, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(connection, transaction, new AuditEntry(
            orgId, actor.Actor, action, "feed", after.Id.ToString(), before, new { feed = after, credentialsChanged }, actor.TraceId, actor.Ip), cancellationToken);

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Adapter { get; init; } = "";
        public string ConfigJson { get; init; } = "{}";
        public string? ScheduleCron { get; init; }
        public bool Enabled { get; init; }
        public int PageSize { get; init; }
        public decimal UpstreamRps { get; init; }
        public bool HasCredentials { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public FeedRecord ToRecord()
        {
            using var config = JsonDocument.Parse(ConfigJson);
            return new FeedRecord(Id, Name, Adapter, config.RootElement.Clone(), ScheduleCron, Enabled, PageSize, UpstreamRps, HasCredentials, CreatedAt, UpdatedAt);
        }
    }
}
