using Platform.FeedSimulator.Supplier;

namespace Platform.FeedSimulator.Telemetry;

/// <summary>The outermost supplier filter: counts every call, including rejected and faulted ones.</summary>
internal sealed class RequestCountingFilter(SimulatorMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var endpoint = FeedEndpoint.KeyOf(context.HttpContext);
        try
        {
            var result = await next(context);
            var status = Unwrap(result) is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            metrics.RecordRequest(endpoint, SimulatorMetrics.OutcomeOf(status));
            return result;
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            metrics.RecordRequest(endpoint, "aborted");
            throw;
        }
        catch
        {
            metrics.RecordRequest(endpoint, "error");
            throw;
        }
    }

    /// <summary>Typed unions such as Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt; carry the real result inside.</summary>
    private static object? Unwrap(object? result) => result is INestedHttpResult nested ? nested.Result : result;
}
