using Platform.FeedSimulator.Supplier;

namespace Platform.FeedSimulator.Faults;

/// <summary>Applies the fault, if any, that a supplier call meets; only the /api/v1 group carries this filter.</summary>
internal sealed class FaultInjectionFilter(FaultInjector injector, TimeProvider timeProvider) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (injector.NextFault(FeedEndpoint.KeyOf(http)) is not { } fault)
        {
            return await next(context);
        }
        switch (fault.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), timeProvider, http.RequestAborted);
                return await next(context);
            case FaultKind.RateLimit:
                http.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return SimulatorProblems.Injected(
                    StatusCodes.Status429TooManyRequests, "Too many requests", $"Injected rate limit; retry after {fault.RetryAfterSeconds} s.");
            case FaultKind.ServerError:
                return SimulatorProblems.Injected(fault.StatusCode, "Server error", $"Injected server error {fault.StatusCode}.");
            default:
                // Hangs like an upstream that stopped answering, but lets go as soon as the caller gives up.
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), timeProvider, http.RequestAborted);
                return SimulatorProblems.Injected(
                    StatusCodes.Status504GatewayTimeout, "Gateway timeout", $"Injected timeout after {fault.LatencyMs} ms.");
        }
    }
}
