using GraphQL.Types;
using Platform.Api.GraphQl.Batching;
using Platform.Domain.Catalog.History;
using Platform.Infrastructure.Catalog;

namespace Platform.Api.GraphQl.Schema;

/// <summary>A catalog stone: the same fields as REST's <c>DiamondView</c>, prices in dollars, grades as upper-case codes.</summary>
public sealed class DiamondType : ObjectGraphType<DiamondView>
{
    public DiamondType()
    {
        Name = "Diamond";
        Field(d => d.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(d => d.FeedId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(d => d.SupplierStoneId);
        Field(d => d.OfferId, nullable: true);
        Field(d => d.Shape);
        Field(d => d.Carats);
        Field(d => d.Color, nullable: true);
        Field(d => d.Clarity, nullable: true);
        Field(d => d.Cut, nullable: true);
        Field(d => d.Polish, nullable: true);
        Field(d => d.Symmetry, nullable: true);
        Field(d => d.Fluorescence, nullable: true);
        Field(d => d.LabGrown);
        Field(d => d.RetailPrice);
        Field(d => d.FeedPrice);
        Field(d => d.PricePerCarat, nullable: true);
        Field(d => d.MarkupRatio);
        Field(d => d.Rating, type: typeof(NonNullGraphType<IntGraphType>));
        Field(d => d.Availability);
        Field(d => d.CertificateLab, nullable: true);
        Field(d => d.CertificateNumber, nullable: true);
        Field(d => d.ImageUrl, nullable: true);
        Field(d => d.VideoUrl, nullable: true);
        Field(d => d.SupplierName, nullable: true);
        Field(d => d.SourceUpdatedAt);
        Field(d => d.CreatedAt);
        Field(d => d.UpdatedAt);
        Field<FeedType>("feed")
            .Description("The feed the stone came from (batched: a page of stones costs one lookup).")
            .Resolve(context => context.Service<GraphQlLoaders>().Feeds(context.OrgId()).Load(context.Source.FeedId));
        Field<NonNullGraphType<PriceHistoryConnectionType>>("priceHistory")
            .Description("Price changes, newest first, keyset-paged like GET /api/v1/diamonds/{id}/price-history (batched across a list of stones).")
            .Argument<IntGraphType>("first", argument =>
            {
                argument.DefaultValue = PriceHistoryQuery.DefaultLimit;
                argument.Description = $"1–{PriceHistoryQuery.MaxLimit}.";
            })
            .Argument<StringGraphType>("after")
            .Resolve(PriceHistoryField.Resolve);
    }
}
