using Platform.FeedSimulator.Faults;
using Platform.FeedSimulator.Holds;
using Platform.FeedSimulator.Telemetry;

namespace Platform.FeedSimulator.Admin;

/// <summary>Test and benchmark controls: change the catalogue between runs, reset it, read traffic stats.</summary>
internal static class AdminApi
{
    private const int ReportedIdLimit = 100;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapPost("/mutations", Mutate);
        admin.MapPost("/reset", Reset);
        admin.MapGet("/stats", GetStats);
        admin.MapDelete("/stats", ClearStats);
        admin.MapFaultsApi();
        return app;
    }

    private static Results<Ok<MutationResponse>, ProblemHttpResult> Mutate(MutationRequest request, CatalogueStore catalogue)
    {
        if (!MutationRequestParser.TryParse(request, out var mutation, out var error))
        {
            return SimulatorProblems.Invalid(error!);
        }
        var outcome = catalogue.Mutate(mutation);
        var seed = catalogue.Current.Seed;
        var ids = outcome.ChangedIndices.Take(ReportedIdLimit).Select(index => StoneIdentity.StoneId(seed, index)).ToArray();
        return TypedResults.Ok(new MutationResponse(outcome.Changed, ids, outcome.Generation));
    }

    private static Ok<ResetResponse> Reset(CatalogueStore catalogue, StoneReservations reservations)
    {
        reservations.Clear();
        return TypedResults.Ok(new ResetResponse(catalogue.Reset()));
    }

    private static Ok<AdminStats> GetStats(CatalogueStore catalogue, SimulatorMetrics metrics) =>
        TypedResults.Ok(AdminStats.From(catalogue.Current, metrics.Snapshot()));

    private static NoContent ClearStats(SimulatorMetrics metrics)
    {
        metrics.Clear();
        return TypedResults.NoContent();
    }
}
