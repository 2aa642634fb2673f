using Platform.FeedSimulator.Supplier;

namespace Platform.FeedSimulator.Search;

/// <summary>Count, search and fetch: the calls the pipeline's heatmap and workers make.</summary>
internal static class DiamondsApi
{
    public static RouteGroupBuilder MapDiamondsApi(this RouteGroupBuilder api)
    {
        var diamonds = api.MapGroup("/diamonds");
        diamonds.MapGet("/count", Count).WithMetadata(new FeedEndpoint(FeedEndpoint.Count));
        diamonds.MapGet("/", Search).WithMetadata(new FeedEndpoint(FeedEndpoint.Search));
        diamonds.MapGet("/{id}", GetById).WithMetadata(new FeedEndpoint(FeedEndpoint.Get));
        return api;
    }

    private static Results<Ok<DiamondCount>, ProblemHttpResult> Count(
        [AsParameters] DiamondQuery query, [AsParameters] SupplierServices services)
    {
        if (!StoneFilterParser.TryParse(query, out var filter, out var error))
        {
            return SimulatorProblems.Invalid(error!);
        }
        return TypedResults.Ok(new DiamondCount(CatalogueSearch.Count(services.Catalogue.Current, filter)));
    }

    private static Results<Ok<DiamondPage>, ProblemHttpResult> Search(
        [AsParameters] DiamondQuery query, [AsParameters] SupplierServices services)
    {
        var options = services.Options.Value;
        if (!StoneFilterParser.TryParse(query, out var filter, out var error)
            || !PageRequestParser.TryParse(query, options.DefaultPageSize, options.MaxPageSize, out var offset, out var limit, out error))
        {
            return SimulatorProblems.Invalid(error!);
        }
        var snapshot = services.Catalogue.Current;
        var matching = CatalogueSearch.Matching(snapshot, filter);
        var page = CatalogueSearch.Page(matching, offset, limit);
        var items = new Stone[page.Length];
        for (var i = 0; i < page.Length; i++)
        {
            items[i] = StoneProjection.ToStone(snapshot, page[i], services.Reservations);
        }
        return TypedResults.Ok(new DiamondPage(items, matching.Length, offset, limit));
    }

    private static Results<Ok<Stone>, ProblemHttpResult> GetById(string id, [AsParameters] SupplierServices services)
    {
        var snapshot = services.Catalogue.Current;
        return StoneIdentity.TryParseIndex(id, snapshot.Seed, snapshot.Size, out var index)
            ? TypedResults.Ok(StoneProjection.ToStone(snapshot, index, services.Reservations))
            : SimulatorProblems.Missing($"No diamond with id '{id}'.");
    }
}
