using Platform.Infrastructure.Telemetry;

namespace Platform.Api.Authentication;

/// <summary>
/// After authentication: the rest of the request logs inside a scope naming the caller's organization and API key id
/// (the id, never the key), so every line — ours, ASP.NET Core's, the stores' — says whose request it was. Anonymous
/// requests get no scope and cost nothing.
/// </summary>
public sealed class CallerLogScope(RequestDelegate next, ILogger<CallerLogScope> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var keyId = context.User.FindFirst(PlatformClaims.KeyId)?.Value;
        return keyId is null ? next(context) : InScopeAsync(context, keyId);
    }

    private async Task InScopeAsync(HttpContext context, string keyId)
    {
        using var scope = logger.BeginScope(LogScope.ForCaller(context.User.FindFirst(PlatformClaims.OrgId)?.Value, keyId));
        await next(context);
    }
}

public static class CallerLogScopeExtensions
{
    public static IApplicationBuilder UseCallerLogScope(this IApplicationBuilder app) => app.UseMiddleware<CallerLogScope>();
}
