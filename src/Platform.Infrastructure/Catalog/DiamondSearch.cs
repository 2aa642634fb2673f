using Platform.Domain.Catalog.Paging;
using Platform.Domain.Catalog.Search;

namespace Platform.Infrastructure.Catalog;

/// <summary>One page of a search: at most the limit of stones, where the next page starts (null on the last), and the total.</summary>
public sealed record DiamondPage(IReadOnlyList<DiamondView> Items, DiamondPosition? Next, long Total, bool TotalIsEstimate);

/// <summary>Organization-scoped catalog search over active stones, keyset-paged (ADR 0020).</summary>
public sealed class DiamondSearch(NpgsqlDataSource dataSource)
{
    public async Task<DiamondPage> SearchAsync(Guid orgId, DiamondSearchCriteria criteria, DiamondPosition? after, CancellationToken cancellationToken)
    {
        var sql = DiamondSearchSql.For(orgId, criteria, after);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The page and the planner's estimate in one round trip; the capped count only when the estimate leaves the
        // answer open (SearchTotal).
        List<DiamondSearchRow> rows;
        long planned;
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql.Page + ";\n" + sql.Estimate, sql.Parameters, cancellationToken: cancellationToken)))
        {
            rows = (await results.ReadAsync<DiamondSearchRow>()).ToList();
            planned = SearchTotal.PlannedRows(await results.ReadSingleAsync<string>());
        }
        var total = SearchTotal.WithoutCounting(after is null, rows.Count, criteria.Limit, planned)
            ?? SearchTotal.FromCount(await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                sql.CappedCount, sql.Parameters, cancellationToken: cancellationToken)), planned);
        DiamondPosition? next = null;
        if (rows.Count > criteria.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = PositionOf(rows[^1]);
        }
        return new DiamondPage(rows, next, total.Count, total.IsEstimate);
    }

    /// <summary>Where a page that starts after <paramref name="row"/> begins: GraphQL gives every edge its own cursor.</summary>
    public static DiamondPosition PositionOf(DiamondSearchRow row) => new(PositionKey(row.SortKey), row.Id);

    /// <summary>Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; positions speak <see cref="DateTimeOffset"/>.</summary>
    private static object PositionKey(object key) =>
        key is DateTime time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : key;
}
