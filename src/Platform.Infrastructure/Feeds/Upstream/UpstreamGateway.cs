using System.Diagnostics;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.Infrastructure.Operations.ErrorLog;
using Polly;
using Polly.CircuitBreaker;

namespace Platform.Infrastructure.Feeds.Upstream;

/// <summary>
/// The one way adapters reach a supplier. Per logical call: a span, then the feed's resilience pipeline (retries,
/// circuit breaker); per attempt: the shared rate limit, then the HTTP exchange under the attempt timeout, timed
/// for <c>platform.upstream.request.duration</c>. An open breaker surfaces as <see cref="UpstreamUnavailableException"/>.
/// A call that fails after its retries is recorded in the error log (absent in hosts without a database, e.g. unit hosts).
/// </summary>
internal sealed class UpstreamGateway(
    UpstreamResiliencePipelines pipelines, IUpstreamRateLimiter rateLimiter, UpstreamTelemetry telemetry, TimeProvider timeProvider,
    IErrorLog? errors = null)
{
    public async Task<T> SendAsync<T>(UpstreamCall call, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        using var activity = UpstreamTelemetry.StartCall(call);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(UpstreamResiliencePipelines.FeedKindKey, call.FeedKind);
        context.Properties.Set(UpstreamResiliencePipelines.OperationKey, call.Operation);
        context.Properties.Set(UpstreamResiliencePipelines.RetrySafeKey, call.RetrySafe);
        try
        {
            var result = await pipelines.For(call.FeedId).ExecuteAsync(
                static (resilience, state) => state.Gateway.AttemptAsync(state.Call, state.Attempt, resilience.CancellationToken),
                context,
                (Gateway: this, Call: call, Attempt: attempt));
            Describe(activity, result);
            return result;
        }
        catch (BrokenCircuitException broken)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "circuit open");
            errors?.Record(ErrorCategories.Upstream, ErrorLogCodes.UpstreamCircuitOpen, $"Circuit of feed {call.FeedId} is open; {call.Operation} not sent.",
                context: Describe(call));
            throw new UpstreamUnavailableException(call.FeedId, broken.RetryAfter, broken);
        }
        catch (Exception failure)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
            activity?.AddException(failure);
            if (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors?.Record(ErrorCategories.Upstream, ErrorLogCodes.UpstreamFailed, failure, context: Describe(call));
            }
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<T> AttemptAsync<T>(UpstreamCall call, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (!UpstreamRateLimit.IsUnlimited(call.RequestsPerSecond))
        {
            var waited = await rateLimiter.AcquireAsync(call.FeedId, call.RequestsPerSecond, cancellationToken);
            telemetry.RecordRateLimitWait(call, waited);
        }
        var started = timeProvider.GetTimestamp();
        try
        {
            var result = await pipelines.AttemptTimeout.ExecuteAsync<T, Func<CancellationToken, Task<T>>>(
                static async (send, token) => await send(token), attempt, cancellationToken);
            telemetry.RecordRequest(call, timeProvider.GetElapsedTime(started), "success");
            return result;
        }
        catch (Exception failure)
        {
            telemetry.RecordRequest(call, timeProvider.GetElapsedTime(started), UpstreamFailures.OutcomeOf(failure));
            throw;
        }
    }

    private static Dictionary<string, object?> Describe(UpstreamCall call) => new()
    {
        ["feedId"] = call.FeedId, ["feedKind"] = call.FeedKind, ["operation"] = call.Operation, ["offset"] = call.Offset,
    };

    private static void Describe<T>(Activity? activity, T result)
    {
        if (activity is null)
        {
            return;
        }
        if (result is FeedPage page)
        {
            activity.SetTag("platform.upstream.items", page.Items.Count);
        }
        else if (result is long count)
        {
            activity.SetTag("platform.upstream.count", count);
        }
    }
}
