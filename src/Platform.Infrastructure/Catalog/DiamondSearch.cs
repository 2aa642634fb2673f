using System.Text.Json;
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
        // Page and capped count in one round trip; the count reads at most 10 001 index entries.
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql.Page + ";\n" + sql.CappedCount, sql.Parameters, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<DiamondSearchRow>()).ToList();
        var total = await results.ReadSingleAsync<long>();
        DiamondPosition? next = null;
        if (rows.Count > criteria.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = PositionOf(rows[^1]);
        }
        if (total <= DiamondSearchSql.ExactTotalLimit)
        {
            return new DiamondPage(rows, next, total, false);
        }
        var plan = await connection.ExecuteScalarAsync<string>(new CommandDefinition(sql.Estimate, sql.Parameters, cancellationToken: cancellationToken));
        return new DiamondPage(rows, next, Math.Max(total, PlannedRows(plan)), true);
    }

    /// <summary>Where a page that starts after <paramref name="row"/> begins: GraphQL gives every edge its own cursor.</summary>
    public static DiamondPosition PositionOf(DiamondSearchRow row) => new(PositionKey(row.SortKey), row.Id);

    /// <summary>Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; positions speak <see cref="DateTimeOffset"/>.</summary>
    private static object PositionKey(object key) =>
        key is DateTime time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : key;

    /// <summary>The planner's row estimate of the filtered scan (statistics from ANALYZE/autovacuum), from EXPLAIN's JSON.</summary>
    private static long PlannedRows(string? plan)
    {
        if (plan is null)
        {
            return 0;
        }
        using var document = JsonDocument.Parse(plan);
        return document.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").TryGetDouble(out var rows) ? (long)rows : 0;
    }
}
