using Platform.Domain.Catalog.History;

namespace Platform.Infrastructure.Catalog;

/// <summary>
/// Organization-scoped reads of single stones and their price history. Only active stones are visible: a removed
/// stone, an unknown id and another organization's id all find nothing.
/// </summary>
public sealed class DiamondQueries(NpgsqlDataSource dataSource)
{
    public async Task<DiamondView?> FindAsync(Guid orgId, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DiamondView>(new CommandDefinition(
            $"SELECT {DiamondView.Columns} FROM diamonds d WHERE d.id = @id AND d.org_id = @orgId AND d.status = 'active'",
            new { orgId, id }, cancellationToken: cancellationToken));
    }

    /// <summary>The stones found among <paramref name="ids"/>, in any order.</summary>
    public async Task<IReadOnlyList<DiamondView>> FindManyAsync(Guid orgId, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DiamondView>(new CommandDefinition(
            $"SELECT {DiamondView.Columns} FROM diamonds d WHERE d.id = ANY(@ids) AND d.org_id = @orgId AND d.status = 'active'",
            new { orgId, ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Newest first, the query's limit + 1 entries at most (the extra one only tells that more follow);
    /// null when the stone is not the organization's (or not active).
    /// </summary>
    public async Task<IReadOnlyList<PriceHistoryEntry>?> PriceHistoryAsync(
        Guid orgId, Guid diamondId, PriceHistoryQuery query, PriceHistoryPosition? after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The existence check and the page in one statement: the LEFT JOIN keeps one row for a stone without history.
        var rows = (await connection.QueryAsync<PriceHistoryRow>(new CommandDefinition("""
            SELECT h.id, h.run_id, h.old_feed_price, h.new_feed_price, h.old_retail_price, h.new_retail_price, h.changed_at
            FROM diamonds d
            LEFT JOIN LATERAL (
                SELECT * FROM price_history p
                WHERE p.org_id = d.org_id AND p.diamond_id = d.id
                  AND (@from::timestamptz IS NULL OR p.changed_at >= @from)
                  AND (@to::timestamptz IS NULL OR p.changed_at < @to)
                  AND (@afterId::bigint IS NULL OR (p.changed_at, p.id) < (@afterChangedAt::timestamptz, @afterId::bigint))
                ORDER BY p.changed_at DESC, p.id DESC
                LIMIT @take
            ) h ON true
            WHERE d.id = @diamondId AND d.org_id = @orgId AND d.status = 'active'
            ORDER BY h.changed_at DESC, h.id DESC
            """,
            new
            {
                orgId, diamondId, from = query.From, to = query.To, take = query.Limit + 1,
                afterChangedAt = after?.ChangedAt, afterId = after?.Id,
            },
            cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return null;
        }
        return rows.Where(row => row.Id is not null).Select(row => new PriceHistoryEntry
        {
            Id = row.Id!.Value, RunId = row.RunId!.Value, OldFeedPrice = row.OldFeedPrice, NewFeedPrice = row.NewFeedPrice!.Value,
            OldRetailPrice = row.OldRetailPrice, NewRetailPrice = row.NewRetailPrice!.Value, ChangedAt = row.ChangedAt!.Value,
        }).ToList();
    }

    /// <summary>
    /// One page (at most <paramref name="take"/> entries, newest first, after <paramref name="after"/>) of the price history of
    /// each of several stones, in one statement: GraphQL batches <c>priceHistory</c> of a list of diamonds with it. The same
    /// keyset as <see cref="PriceHistoryAsync"/>; stones that are not the organization's active ones are absent.
    /// </summary>
    public async Task<ILookup<Guid, PriceHistoryEntry>> PriceHistoryOfAsync(
        Guid orgId, IReadOnlyList<Guid> diamondIds, int take, PriceHistoryPosition? after, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Guid, PriceHistoryEntry, (Guid DiamondId, PriceHistoryEntry Entry)>(new CommandDefinition("""
            SELECT d.id AS diamond_id, h.id, h.run_id, h.old_feed_price, h.new_feed_price, h.old_retail_price, h.new_retail_price, h.changed_at
            FROM diamonds d
            CROSS JOIN LATERAL (
                SELECT * FROM price_history p
                WHERE p.org_id = d.org_id AND p.diamond_id = d.id
                  AND (@afterId::bigint IS NULL OR (p.changed_at, p.id) < (@afterChangedAt::timestamptz, @afterId::bigint))
                ORDER BY p.changed_at DESC, p.id DESC
                LIMIT @take
            ) h
            WHERE d.id = ANY(@diamondIds) AND d.org_id = @orgId AND d.status = 'active'
            ORDER BY d.id, h.changed_at DESC, h.id DESC
            """,
            new { orgId, diamondIds = diamondIds.ToArray(), take, afterChangedAt = after?.ChangedAt, afterId = after?.Id },
            cancellationToken: cancellationToken),
            (diamondId, entry) => (diamondId, entry), splitOn: "id");
        return rows.ToLookup(row => row.DiamondId, row => row.Entry);
    }
}

/// <summary>Nullable twin of <see cref="PriceHistoryEntry"/>: the LEFT JOIN yields nulls for a stone without history.</summary>
internal sealed class PriceHistoryRow
{
    public long? Id { get; init; }
    public Guid? RunId { get; init; }
    public decimal? OldFeedPrice { get; init; }
    public decimal? NewFeedPrice { get; init; }
    public decimal? OldRetailPrice { get; init; }
    public decimal? NewRetailPrice { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
}
