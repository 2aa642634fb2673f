using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Catalog.Caching;

namespace Platform.Infrastructure.Catalog.Reservations;

/// <summary>A stone of the caller's catalog with what a hold or an order needs: its supplier identities and its feed.</summary>
internal sealed record ReservableDiamond(Guid Id, string Availability, SupplierStone Stone, FeedDefinition Feed)
{
    public static async Task<ReservableDiamond?> FindAsync(NpgsqlDataSource dataSource, Guid orgId, Guid diamondId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            SELECT d.id AS "Id", d.availability AS "Availability", d.supplier_stone_id AS "SupplierStoneId", d.offer_id AS "OfferId",
                   f.id AS "FeedId", f.adapter AS "Adapter", f.config::text AS "ConfigJson", f.secret_ref AS "SecretRef",
                   f.page_size AS "PageSize", f.max_page_size AS "MaxPageSize", f.upstream_rps AS "UpstreamRps"
            FROM diamonds d JOIN feeds f ON f.org_id = d.org_id AND f.id = d.feed_id
            WHERE d.id = @diamondId AND d.org_id = @orgId AND d.status = 'active'
            """, new { orgId, diamondId }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new ReservableDiamond(row.Id, row.Availability, new SupplierStone(row.SupplierStoneId, row.OfferId),
                new FeedDefinition(row.FeedId, orgId, row.Adapter, row.ConfigJson, row.SecretRef, row.PageSize, row.MaxPageSize, row.UpstreamRps));
    }

    /// <summary>Marks the stone held or sold and bumps the feed's dataset version, so cached catalog reads of the tenant refresh.</summary>
    public static Task<int> MarkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId, Guid feedId, Guid diamondId, string availability, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE diamonds SET availability = @availability, updated_at = now() WHERE id = @diamondId AND org_id = @OrgId;
            {DatasetVersions.BumpSql}
            """, new { OrgId = orgId, FeedId = feedId, diamondId, availability }, transaction, cancellationToken: cancellationToken));

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Availability { get; init; } = "";
        public string SupplierStoneId { get; init; } = "";
        public string? OfferId { get; init; }
        public Guid FeedId { get; init; }
        public string Adapter { get; init; } = "";
        public string ConfigJson { get; init; } = "";
        public string? SecretRef { get; init; }
        public int PageSize { get; init; }
        public int MaxPageSize { get; init; }
        public decimal UpstreamRps { get; init; }
    }
}
