using Platform.Domain.Ingestion.Feeds;
using Platform.Domain.Pricing;

namespace Platform.Infrastructure.Ingestion.Consolidation;

/// <summary>A mapped and priced stone, ready for the catalog upsert.</summary>
public readonly record struct CatalogRow(DiamondDraft Draft, PricedStone Price);
