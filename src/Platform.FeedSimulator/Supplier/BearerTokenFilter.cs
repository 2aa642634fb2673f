using System.Security.Cryptography;
using System.Text;

namespace Platform.FeedSimulator.Supplier;

/// <summary>Optional bearer-token check for the supplier API, off when no token is configured.</summary>
internal sealed class BearerTokenFilter(IOptions<SupplierApiOptions> options) : IEndpointFilter
{
    private readonly byte[]? expected = string.IsNullOrEmpty(options.Value.ApiToken)
        ? null
        : Encoding.UTF8.GetBytes($"Bearer {options.Value.ApiToken}");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (expected is null)
        {
            return await next(context);
        }
        var presented = Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers.Authorization.ToString());
        if (CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            return await next(context);
        }
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return SimulatorProblems.Unauthenticated();
    }
}
