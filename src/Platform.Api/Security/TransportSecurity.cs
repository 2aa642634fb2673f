namespace Platform.Api.Security;

/// <summary>
/// HSTS and HTTPS redirection outside Development and Testing (local runs and tests speak plain HTTP). Behind a proxy that
/// terminates TLS and sends no https port, redirection has nothing to redirect to and leaves requests alone.
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
            app.UseHttpsRedirection();
        }
        return app;
    }
}
