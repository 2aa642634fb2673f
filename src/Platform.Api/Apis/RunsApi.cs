using System.Security.Claims;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Infrastructure.Ingestion.Runs;

namespace Platform.Api.Apis;

/// <summary>Start and watch pipeline runs (PLATFORM §6, pipeline).</summary>
public static class RunsApi
{
    public sealed record StartRunRequest(string? Type);

    public sealed record StartRunResponse(Guid RunId, string RunType, string Status);

    public sealed record RunList(IReadOnlyList<RunView> Items, string? NextCursor);

    public sealed record ConsolidateRequest(bool Force);

    public sealed record RunActionResponse(Guid RunId, string Action, int Affected);

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("Runs");
        api.MapPost("/feeds/{feedId:guid}/runs", StartAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("StartRun");
        api.MapGet("/runs", ListAsync).RequireAuthorization(AuthenticationSetup.OrganizationMember).WithName("ListRuns");
        api.MapGet("/runs/{runId:guid}", GetAsync).RequireAuthorization(AuthenticationSetup.OrganizationMember).WithName("GetRun");
        api.MapGet("/runs/{runId:guid}/partitions", PartitionsAsync).RequireAuthorization(AuthenticationSetup.OrganizationMember).WithName("ListRunPartitions");
        api.MapPost("/runs/{runId:guid}/retry-failed", RetryFailedAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("RetryFailedPartitions");
        api.MapPost("/runs/{runId:guid}/consolidate", ConsolidateAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ConsolidateRun");
        api.MapPost("/runs/{runId:guid}/cancel", CancelAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("CancelRun");
        return routes;
    }

    private static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartAsync(
        Guid feedId, StartRunRequest? request, ClaimsPrincipal user, RunTrigger trigger, CancellationToken cancellationToken)
    {
        RunType? type = request?.Type?.ToLowerInvariant() switch
        {
            null or "" => null,
            "full" => RunType.Full,
            "incremental" => RunType.Incremental,
            _ => (RunType)(-1),
        };
        if (type == (RunType)(-1))
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: new Dictionary<string, string[]>
            {
                ["type"] = ["Must be 'full' or 'incremental' (or omitted: incremental when the feed has a watermark)."],
            });
        }
        var result = await trigger.StartAsync(user.OrgId(), feedId, type, "api", cancellationToken);
        return result.Outcome switch
        {
            RunTriggerOutcome.Started => TypedResults.Accepted($"/api/v1/runs/{result.RunId}", new StartRunResponse(result.RunId!.Value, result.RunType!, "scanning")),
            RunTriggerOutcome.FeedNotFound => ApiProblem.Result(ErrorCatalog.NotFound),
            RunTriggerOutcome.FeedDisabled => ApiProblem.Result(ErrorCatalog.FeedDisabled),
            _ => ApiProblem.Result(ErrorCatalog.RunAlreadyActive),
        };
    }

    private static async Task<Results<Ok<RunList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, RunQueries runs, Guid? feedId, Guid? cursor, int? limit, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 100)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 100."] });
        }
        var items = await runs.ListAsync(user.OrgId(), feedId, cursor, size, cancellationToken);
        return TypedResults.Ok(new RunList(items, items.Count == size ? items[^1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(Guid runId, ClaimsPrincipal user, RunQueries runs, CancellationToken cancellationToken) =>
        await runs.FindAsync(user.OrgId(), runId, cancellationToken) is { } run ? TypedResults.Ok(run) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Ok<IReadOnlyList<PartitionView>>, ProblemHttpResult>> PartitionsAsync(
        Guid runId, ClaimsPrincipal user, RunQueries runs, CancellationToken cancellationToken) =>
        await runs.PartitionsAsync(user.OrgId(), runId, cancellationToken) is { } partitions ? TypedResults.Ok(partitions) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Accepted<RunActionResponse>, ProblemHttpResult>> RetryFailedAsync(
        Guid runId, ClaimsPrincipal user, RunControl control, CancellationToken cancellationToken) =>
        ToResult(runId, "retry-failed", await control.RetryFailedPartitionsAsync(user.OrgId(), runId, cancellationToken));

    private static async Task<Results<Accepted<RunActionResponse>, ProblemHttpResult>> ConsolidateAsync(
        Guid runId, ConsolidateRequest? request, ClaimsPrincipal user, RunControl control, CancellationToken cancellationToken) =>
        ToResult(runId, "consolidate", await control.ConsolidateAsync(user.OrgId(), runId, request?.Force ?? false, cancellationToken));

    private static async Task<Results<Accepted<RunActionResponse>, ProblemHttpResult>> CancelAsync(
        Guid runId, ClaimsPrincipal user, RunControl control, CancellationToken cancellationToken) =>
        ToResult(runId, "cancel", await control.CancelAsync(user.OrgId(), runId, cancellationToken));

    private static Results<Accepted<RunActionResponse>, ProblemHttpResult> ToResult(Guid runId, string action, RunControlResult result) => result.Outcome switch
    {
        RunControlOutcome.Done => TypedResults.Accepted($"/api/v1/runs/{runId}", new RunActionResponse(runId, action, result.Affected)),
        RunControlOutcome.NotFound => ApiProblem.Result(ErrorCatalog.NotFound),
        _ => ApiProblem.Result(ErrorCatalog.RunStateConflict, result.Reason),
    };
}
