using GraphQL.Types;

namespace Platform.Api.GraphQl.Schema;

/// <summary>The search filters of <c>Query.diamonds</c>, validated exactly as REST's query string (DiamondSearchParser).</summary>
public sealed class DiamondFilterInputType : InputObjectGraphType
{
    public DiamondFilterInputType()
    {
        Name = "DiamondFilter";
        Description = "List filters match a stone with any of their values; different fields must all match.";
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("shape").Description("Shape codes, e.g. ROUND, OVAL.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("color").Description("Colour grades D–Z.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("clarity").Description("Clarity grades, e.g. VS1.");
        Field<DecimalGraphType>("caratMin");
        Field<DecimalGraphType>("caratMax");
        Field<DecimalGraphType>("priceMin").Description("On the retail price, in dollars.");
        Field<DecimalGraphType>("priceMax").Description("On the retail price, in dollars.");
        Field<BooleanGraphType>("labGrown");
        Field<IdGraphType>("feedId");
    }
}

public enum DiamondOrderField
{
    Price,
    Carats,
    CreatedAt,
    Color,
    Clarity,
}

public enum SortDirection
{
    Asc,
    Desc,
}

public sealed class DiamondOrderInputType : InputObjectGraphType
{
    public DiamondOrderInputType()
    {
        Name = "DiamondOrder";
        Description = "Every order is completed by the diamond id, so pages never skip or repeat stones with equal values.";
        Field<NonNullGraphType<EnumerationGraphType<DiamondOrderField>>>("field");
        Field<EnumerationGraphType<SortDirection>>("direction")
            .Description("Default: DESC for CREATED_AT (newest first), ASC for the others.");
    }
}
