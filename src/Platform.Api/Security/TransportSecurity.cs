namespace Platform.Api.Security;

/// <summary>
/// HSTS and HTTPS redirection outside Development and Testing (local runs and tests speak plain HTTP). Behind a proxy that
/// terminates TLS and sends no https port, redirection has nothing to redirect to and leaves requests alone. Probes and
/// scrapers (<c>/health</c>, <c>/metrics</c>) are never redirected: they call the pod over plain HTTP from inside the cluster.
/// </summary>
public static class TransportSecurity
{
    public const string TestingEnvironment = "Testing";

    public static bool IsRequired(IHostEnvironment environment) =>
        !environment.IsDevelopment() && !environment.IsEnvironment(TestingEnvironment);

    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        if (IsRequired(app.Environment))
        {
            app.UseHsts();
            app.UseWhen(context => !IsProbeOrScrape(context.Request.Path), branch => branch.UseHttpsRedirection());
        }
        return app;
    }

    private static bool IsProbeOrScrape(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
