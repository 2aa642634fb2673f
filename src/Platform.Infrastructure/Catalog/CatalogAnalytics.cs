using Platform.Domain.Catalog.Analytics;

namespace Platform.Infrastructure.Catalog;

/// <summary>One group of the inventory: its key per dimension (as text) and the retail-price figures of its stones.</summary>
public sealed record InventoryGroup(
    IReadOnlyDictionary<string, string?> Key, long Count, decimal AvgRetailPrice, decimal MinRetailPrice, decimal MaxRetailPrice, decimal TotalRetailValue);

public sealed record InventoryReport(IReadOnlyList<string> GroupBy, long Count, decimal TotalRetailValue, IReadOnlyList<InventoryGroup> Groups);

/// <summary>Price changes in one bucket: how many, the new prices' mean and median, and the mean change of those that had a price before.</summary>
public sealed record PriceTrendBucket(
    DateTimeOffset Start, long Changes, long Increases, long Decreases, decimal AvgRetailPrice, decimal MedianRetailPrice, decimal? AvgChange);

public sealed record PriceTrendReport(string Interval, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<PriceTrendBucket> Buckets);

/// <summary>
/// Aggregates over an organization's active stones, filtered like the search (its WHERE clause, so the same indexes
/// and the same tenant predicate apply). Dimension expressions come from an allow-list; no client text reaches SQL.
/// </summary>
public sealed class CatalogAnalytics(NpgsqlDataSource dataSource)
{
    private static readonly Dictionary<InventoryDimension, string> Expressions = new()
    {
        [InventoryDimension.Shape] = "d.shape",
        [InventoryDimension.Color] = "d.color",
        [InventoryDimension.Clarity] = "d.clarity",
        [InventoryDimension.Cut] = "d.cut",
        [InventoryDimension.LabGrown] = "d.lab_grown::text",
        [InventoryDimension.Availability] = "d.availability",
        [InventoryDimension.FeedId] = "d.feed_id::text",
        [InventoryDimension.PriceBand] = """
            CASE WHEN d.retail_price < 1000 THEN '0-999' WHEN d.retail_price < 2500 THEN '1000-2499'
                 WHEN d.retail_price < 5000 THEN '2500-4999' WHEN d.retail_price < 10000 THEN '5000-9999'
                 WHEN d.retail_price < 20000 THEN '10000-19999' WHEN d.retail_price < 50000 THEN '20000-49999' ELSE '50000+' END
            """,
        [InventoryDimension.CaratBand] = """
            CASE WHEN d.carats < 0.5 THEN '0.00-0.49' WHEN d.carats < 1 THEN '0.50-0.99' WHEN d.carats < 1.5 THEN '1.00-1.49'
                 WHEN d.carats < 2 THEN '1.50-1.99' WHEN d.carats < 3 THEN '2.00-2.99' ELSE '3.00+' END
            """,
    };

    public async Task<InventoryReport> InventoryAsync(Guid orgId, InventoryQuery query, CancellationToken cancellationToken)
    {
        var sql = DiamondSearchSql.For(orgId, query.Criteria, after: null);
        var keys = query.GroupBy.Select((dimension, i) => $"{Expressions[dimension]} AS k{i}").ToList();
        var groupPositions = string.Join(", ", Enumerable.Range(1, keys.Count));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition($"""
            SELECT {string.Join(", ", keys)}, count(*) AS count, round(avg(d.retail_price), 2) AS avg, min(d.retail_price) AS min,
                   max(d.retail_price) AS max, sum(d.retail_price) AS sum
            FROM diamonds d WHERE {sql.Where}
            GROUP BY {groupPositions}
            ORDER BY count(*) DESC, {groupPositions}
            """, sql.Parameters, cancellationToken: cancellationToken));
        var names = query.GroupBy.Select(InventoryQuery.NameOf).ToList();
        var groups = rows.Cast<IDictionary<string, object?>>().Select(row => new InventoryGroup(
            names.Select((name, i) => (name, value: row[$"k{i}"] as string)).ToDictionary(pair => pair.name, pair => pair.value),
            (long)row["count"]!, (decimal)row["avg"]!, (decimal)row["min"]!, (decimal)row["max"]!, (decimal)row["sum"]!)).ToList();
        return new InventoryReport(names, groups.Sum(g => g.Count), groups.Sum(g => g.TotalRetailValue), groups);
    }

    public async Task<PriceTrendReport> PriceTrendsAsync(Guid orgId, PriceTrendQuery query, CancellationToken cancellationToken)
    {
        var sql = DiamondSearchSql.For(orgId, query.Criteria, after: null);
        var parameters = new DynamicParameters(sql.Parameters);
        var unit = query.Interval == TrendInterval.Week ? "week" : "day";
        parameters.AddDynamicParams(new { unit, from = query.From, to = query.To });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Buckets are UTC days or ISO weeks (Monday); the history's own org_id keeps the join inside the tenant.
        var buckets = await connection.QueryAsync<PriceTrendBucket>(new CommandDefinition($"""
            SELECT date_trunc(@unit, ph.changed_at, 'UTC') AS "Start", count(*) AS "Changes",
                   count(*) FILTER (WHERE ph.new_retail_price > ph.old_retail_price) AS "Increases",
                   count(*) FILTER (WHERE ph.new_retail_price < ph.old_retail_price) AS "Decreases",
                   round(avg(ph.new_retail_price), 2) AS "AvgRetailPrice",
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ph.new_retail_price)::numeric, 2) AS "MedianRetailPrice",
                   round(avg(ph.new_retail_price - ph.old_retail_price), 2) AS "AvgChange"
            FROM price_history ph JOIN diamonds d ON d.id = ph.diamond_id
            WHERE ph.org_id = @orgId AND ph.changed_at >= @from AND ph.changed_at < @to AND {sql.Where}
            GROUP BY 1 ORDER BY 1
            """, parameters, cancellationToken: cancellationToken));
        return new PriceTrendReport(unit, query.From, query.To, buckets.AsList());
    }
}
