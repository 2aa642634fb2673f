using Platform.FeedSimulator.Faults;
using Platform.FeedSimulator.Holds;
using Platform.FeedSimulator.Orders;
using Platform.FeedSimulator.Search;
using Platform.FeedSimulator.Telemetry;

namespace Platform.FeedSimulator.Supplier;

/// <summary>
/// The fake supplier API under /api/v1. Filters run outermost first: every call is counted,
/// then authenticated, then may meet an injected fault; /admin and /health never see them.
/// </summary>
internal static class SupplierApi
{
    public static IEndpointRouteBuilder MapSupplierApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .AddEndpointFilter<RequestCountingFilter>()
            .AddEndpointFilter<BearerTokenFilter>()
            .AddEndpointFilter<FaultInjectionFilter>();

        api.MapDiamondsApi();
        api.MapHoldsApi();
        api.MapOrdersApi();
        return app;
    }
}
