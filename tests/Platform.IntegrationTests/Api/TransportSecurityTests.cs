using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.IntegrationTests.Api;

/// <summary>Outside Development and Testing the api redirects to HTTPS (probes excepted) and sends HSTS.</summary>
public sealed class TransportSecurityTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task In_production_plain_http_is_redirected_and_https_answers_carry_hsts()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["https_port"] = "443",
            ["Catalog:Cursor:SigningKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()),
        });

        // HSTS is never sent to localhost, so the requests name a real-looking host.
        var http = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://api.example") });
        var redirect = await http.GetAsync("/api/v1/status", Ct);
        var https = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://api.example") });
        var secure = await https.GetAsync("/api/v1/status", Ct);
        var probe = await http.GetAsync("/health/live", Ct);

        redirect.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        redirect.Headers.Location.ShouldBe(new Uri("https://api.example/api/v1/status"));
        secure.StatusCode.ShouldBe(HttpStatusCode.OK);
        secure.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=2592000");
        probe.StatusCode.ShouldBe(HttpStatusCode.OK, "probes call over plain HTTP and are not redirected");
    }
}
