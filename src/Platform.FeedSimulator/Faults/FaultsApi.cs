namespace Platform.FeedSimulator.Faults;

/// <summary>Add, list and clear fault rules at runtime under /admin/faults.</summary>
internal static class FaultsApi
{
    public static RouteGroupBuilder MapFaultsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/faults", AddRule);
        admin.MapGet("/faults", ListRules);
        admin.MapDelete("/faults", ClearRules);
        return admin;
    }

    private static Results<Created<FaultRuleView>, ProblemHttpResult> AddRule(FaultRuleDefinition definition, FaultInjector injector)
    {
        if (!FaultRuleSpec.TryCreate(definition, out var spec, out var failure))
        {
            return SimulatorProblems.Invalid($"{JsonName(failure.Field)} {failure.Problem}");
        }
        var rule = injector.Add(spec);
        return TypedResults.Created($"/admin/faults/{rule.Id}", rule);
    }

    private static Ok<FaultRuleList> ListRules(FaultInjector injector) => TypedResults.Ok(new FaultRuleList(injector.List()));

    private static NoContent ClearRules(FaultInjector injector)
    {
        injector.Clear();
        return TypedResults.NoContent();
    }

    private static string JsonName(string field) => string.Concat(field[..1].ToLowerInvariant(), field[1..]);
}

internal sealed record FaultRuleList(IReadOnlyList<FaultRuleView> Rules);
