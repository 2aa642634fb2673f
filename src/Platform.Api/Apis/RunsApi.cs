using System.ComponentModel;
using System.Security.Claims;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
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
        var api = routes.MapGroup("/api/v1").WithTags("Runs").RateLimitedByMethod();
        api.MapPost("/feeds/{feedId:guid}/runs", StartAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("StartRun")
            .WithSummary("Start a run of a feed")
            .WithDescription("Needs scope `pipeline:admin`. Body optional: `type` is `full` or `incremental`; without it the run is incremental when the feed has a watermark. "
                + "When the organization's running capacity is taken the run is accepted with status `queued` and starts when a slot frees (oldest first); "
                + "when its queued capacity is taken too the answer is 429 `CAPACITY_EXCEEDED` with `running`, `queued`, `runningCapacity` and `queuedCapacity`.")
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.FeedDisabled, ErrorCatalog.RunAlreadyActive, ErrorCatalog.CapacityExceeded);
        api.MapGet("/runs", ListAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ListRuns")
            .WithSummary("List runs").WithDescription("Needs scope `pipeline:admin`. Newest first. `nextCursor` is null on the last page.");
        api.MapGet("/runs/{runId:guid}", GetAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("GetRun")
            .WithSummary("Get a run").WithDescription("Needs scope `pipeline:admin`.").ProducesErrors(ErrorCatalog.NotFound);
        api.MapGet("/runs/{runId:guid}/partitions", PartitionsAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ListRunPartitions")
            .WithSummary("List a run's partitions").WithDescription("Needs scope `pipeline:admin`. Ordered by partition id; empty while the run is scanning.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapPost("/runs/{runId:guid}/retry-failed", RetryFailedAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("RetryFailedPartitions")
            .WithSummary("Retry a run's failed partitions")
            .WithDescription("Needs scope `pipeline:admin`. Each failed partition is enqueued again from its next offset; `affected` counts them.")
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.RunStateConflict);
        api.MapPost("/runs/{runId:guid}/consolidate", ConsolidateAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("ConsolidateRun")
            .WithSummary("Consolidate a run")
            .WithDescription("Needs scope `pipeline:admin`. Starts or resumes consolidation; with `force`, failed partitions are accepted (their stones are not soft-deleted).")
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.RunStateConflict);
        api.MapPost("/runs/{runId:guid}/cancel", CancelAsync).RequireAuthorization(AuthenticationSetup.PipelineAdmin).WithName("CancelRun")
            .WithSummary("Cancel a run").WithDescription("Needs scope `pipeline:admin`. Queued pages and steps are skipped.")
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.RunStateConflict);
        return routes;
    }

    private static async Task<Results<Accepted<StartRunResponse>, ProblemHttpResult>> StartAsync(
        [Description("The feed to run.")] Guid feedId, StartRunRequest? request, ClaimsPrincipal user, RunTrigger trigger, CancellationToken cancellationToken)
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
            RunTriggerOutcome.Queued => TypedResults.Accepted($"/api/v1/runs/{result.RunId}", new StartRunResponse(result.RunId!.Value, result.RunType!, "queued")),
            RunTriggerOutcome.CapacityExceeded => CapacityExceeded(result.Capacity!),
            RunTriggerOutcome.FeedNotFound => ApiProblem.Result(ErrorCatalog.NotFound),
            RunTriggerOutcome.FeedDisabled => ApiProblem.Result(ErrorCatalog.FeedDisabled),
            _ => ApiProblem.Result(ErrorCatalog.RunAlreadyActive),
        };
    }

    private static ProblemHttpResult CapacityExceeded(RunCapacityUsage capacity) => ApiProblem.Result(ErrorCatalog.CapacityExceeded,
        $"{capacity.Running} of {capacity.RunningCapacity} running and {capacity.Queued} of {capacity.QueuedCapacity} queued run slots are taken.",
        details: new Dictionary<string, object?>
        {
            ["running"] = capacity.Running,
            ["queued"] = capacity.Queued,
            ["runningCapacity"] = capacity.RunningCapacity,
            ["queuedCapacity"] = capacity.QueuedCapacity,
        });

    private static async Task<Results<Ok<RunList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, RunQueries runs,
        [Description("Only runs of this feed.")] Guid? feedId,
        [Description("The previous page's `nextCursor`.")] Guid? cursor,
        [Description("Page size, 1–100 (default 50).")] int? limit,
        CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 100)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: new Dictionary<string, string[]> { ["limit"] = ["Must be between 1 and 100."] });
        }
        var items = await runs.ListAsync(user.OrgId(), feedId, cursor, size, cancellationToken);
        return TypedResults.Ok(new RunList(items, items.Count == size ? items[^1].Id.ToString() : null));
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(
        [Description("The run's id.")] Guid runId, ClaimsPrincipal user, RunQueries runs, CancellationToken cancellationToken) =>
        await runs.FindAsync(user.OrgId(), runId, cancellationToken) is { } run ? TypedResults.Ok(run) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Ok<IReadOnlyList<PartitionView>>, ProblemHttpResult>> PartitionsAsync(
        [Description("The run's id.")] Guid runId, ClaimsPrincipal user, RunQueries runs, CancellationToken cancellationToken) =>
        await runs.PartitionsAsync(user.OrgId(), runId, cancellationToken) is { } partitions ? TypedResults.Ok(partitions) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Accepted<RunActionResponse>, ProblemHttpResult>> RetryFailedAsync(
        [Description("The run's id.")] Guid runId, ClaimsPrincipal user, RunControl control, CancellationToken cancellationToken) =>
        ToResult(runId, "retry-failed", await control.RetryFailedPartitionsAsync(user.OrgId(), runId, cancellationToken));

    private static async Task<Results<Accepted<RunActionResponse>, ProblemHttpResult>> ConsolidateAsync(
        [Description("The run's id.")] Guid runId, ConsolidateRequest? request, ClaimsPrincipal user, RunControl control, CancellationToken cancellationToken) =>
        ToResult(runId, "consolidate", await control.ConsolidateAsync(user.OrgId(), runId, request?.Force ?? false, cancellationToken));

    private static async Task<Results<Accepted<RunActionResponse>, ProblemHttpResult>> CancelAsync(
        [Description("The run's id.")] Guid runId, ClaimsPrincipal user, RunControl control, CancellationToken cancellationToken) =>
        ToResult(runId, "cancel", await control.CancelAsync(user.OrgId(), runId, cancellationToken));

    private static Results<Accepted<RunActionResponse>, ProblemHttpResult> ToResult(Guid runId, string action, RunControlResult result) => result.Outcome switch
    {
        RunControlOutcome.Done => TypedResults.Accepted($"/api/v1/runs/{runId}", new RunActionResponse(runId, action, result.Affected)),
        RunControlOutcome.NotFound => ApiProblem.Result(ErrorCatalog.NotFound),
        _ => ApiProblem.Result(ErrorCatalog.RunStateConflict, result.Reason),
    };
}
