using Platform.Domain.Pricing;

namespace Platform.Infrastructure.Ingestion.Consolidation;

public static class PricingRuleStore
{
    /// <summary>The organization's active rules, loaded once per consolidation step.</summary>
    public static async Task<PricingEngine> LoadEngineAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid orgId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition("""
            SELECT id AS "Id", priority AS "Priority", carat_min AS "CaratMin", carat_max AS "CaratMax", shapes AS "Shapes",
                   lab_grown AS "LabGrown", feed_id AS "FeedId", markup_ratio AS "MarkupRatio", rating AS "Rating"
            FROM pricing_rules WHERE org_id = @orgId AND active
            """, new { orgId }, transaction, cancellationToken: cancellationToken));
        return new PricingEngine(rows.Select(r => new PricingRule
        {
            Id = r.Id, Priority = r.Priority, CaratMin = r.CaratMin, CaratMax = r.CaratMax, Shapes = r.Shapes,
            LabGrown = r.LabGrown, FeedId = r.FeedId, MarkupRatio = r.MarkupRatio, Rating = r.Rating, Active = true,
        }));
    }

    private sealed class RuleRow
    {
        public Guid Id { get; init; }
        public int Priority { get; init; }
        public decimal? CaratMin { get; init; }
        public decimal? CaratMax { get; init; }
        public string[]? Shapes { get; init; }
        public bool? LabGrown { get; init; }
        public Guid? FeedId { get; init; }
        public decimal MarkupRatio { get; init; }
        public short? Rating { get; init; }
    }
}
