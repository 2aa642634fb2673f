using System.Runtime.CompilerServices;

namespace Platform.IntegrationTests;

/// <summary>
/// The feed simulator, alert receivers and SMTP server of the tests listen on 127.0.0.1 over plain HTTP, which the
/// SSRF guard (<c>Security:Egress</c>, ADR 0034) refuses outside Development and Testing. In-process hosts run as
/// Testing; worker and api processes started by the tests run as Production and inherit these variables instead.
/// A test of the guard itself overrides them with settings.
/// </summary>
internal static class TestEgress
{
    [ModuleInitializer]
    internal static void Configure()
    {
        Environment.SetEnvironmentVariable("Security__Egress__AllowPrivateNetworks", "true");
        Environment.SetEnvironmentVariable("Security__Egress__AllowHttp", "true");
    }
}
