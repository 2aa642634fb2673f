using GraphQL.Types;
using Platform.Infrastructure.Pricing;

namespace Platform.Api.GraphQl.Schema;

/// <summary>A pricing rule, as REST's <c>/api/v1/pricing-rules</c> returns it.</summary>
public sealed class PricingRuleGraphType : ObjectGraphType<PricingRuleRecord>
{
    public PricingRuleGraphType()
    {
        Name = "PricingRule";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Priority).Description("Lowest first: consolidation applies the first active rule that matches.");
        Field(r => r.CaratMin, nullable: true);
        Field(r => r.CaratMax, nullable: true);
        Field(r => r.Shapes, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>));
        Field(r => r.LabGrown, nullable: true);
        Field(r => r.FeedId, type: typeof(IdGraphType));
        Field(r => r.MarkupRatio);
        Field(r => r.Rating, nullable: true);
        Field(r => r.Active);
        Field(r => r.CreatedAt);
        Field(r => r.UpdatedAt);
    }
}

/// <summary>
/// The body of <c>createPricingRule</c> and <c>updatePricingRule</c>: REST's <c>PricingRuleRequest</c>, validated by the
/// same code. Every field is optional in the type so that a missing required one is reported as REST reports it
/// (<c>VALIDATION_FAILED</c> with the field), not as a GraphQL type error. An update replaces every field, like PUT.
/// </summary>
public sealed class PricingRuleInputType : InputObjectGraphType
{
    public PricingRuleInputType()
    {
        Name = "PricingRuleInput";
        Field<IntGraphType>("priority").Description("Required; 0–1 000 000.");
        Field<DecimalGraphType>("caratMin");
        Field<DecimalGraphType>("caratMax");
        Field<ListGraphType<StringGraphType>>("shapes").Description("At most 20.");
        Field<BooleanGraphType>("labGrown");
        Field<IdGraphType>("feedId").Description("A feed of your organization.");
        Field<DecimalGraphType>("markupRatio").Description("Required; at most 4 decimal places.");
        Field<IntGraphType>("rating");
        Field<BooleanGraphType>("active").Description("Default true.");
    }
}
