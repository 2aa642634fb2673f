using System.Net;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>Browser protections on every response: data, errors, unknown paths and the public reference.</summary>
public sealed class SecurityHeadersTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_kind_of_response_carries_the_security_headers()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var withKey = api.ClientWith(api.A.AdminKey);
        var anonymous = api.Factory.CreateClient();

        var responses = new (string Name, HttpResponseMessage Response, HttpStatusCode Status)[]
        {
            ("authenticated data", await withKey.GetAsync("/api/v1/runs", Ct), HttpStatusCode.OK),
            ("401", await anonymous.GetAsync("/api/v1/runs", Ct), HttpStatusCode.Unauthorized),
            ("404 of an unknown path", await withKey.GetAsync("/api/v1/no-such-thing", Ct), HttpStatusCode.NotFound),
            ("404 outside /api", await anonymous.GetAsync("/favicon.ico", Ct), HttpStatusCode.NotFound),
            ("public status", await anonymous.GetAsync("/api/v1/status", Ct), HttpStatusCode.OK),
            ("probe", await anonymous.GetAsync("/health/live", Ct), HttpStatusCode.OK),
            ("OpenAPI document", await anonymous.GetAsync("/openapi/v1.json", Ct), HttpStatusCode.OK),
        };

        foreach (var (name, response, status) in responses)
        {
            response.StatusCode.ShouldBe(status, name);
            Header(response, "X-Content-Type-Options").ShouldBe("nosniff", name);
            Header(response, "X-Frame-Options").ShouldBe("DENY", name);
            Header(response, "Referrer-Policy").ShouldBe("no-referrer", name);
            Header(response, "Content-Security-Policy").ShouldBe("default-src 'none'; frame-ancestors 'none'", name);
        }
    }

    [Fact]
    public async Task Api_responses_are_never_stored_by_caches()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var data = await api.ClientWith(api.A.AdminKey).GetAsync("/api/v1/organization", Ct);
        var refused = await api.Factory.CreateClient().GetAsync("/api/v1/organization", Ct);

        data.StatusCode.ShouldBe(HttpStatusCode.OK);
        data.Headers.CacheControl?.NoStore.ShouldBe(true);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.CacheControl?.NoStore.ShouldBe(true);
    }

    [Fact]
    public async Task The_reference_page_may_run_its_scripts_but_not_be_framed()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.Factory.CreateClient().GetAsync("/docs", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(response, "Content-Security-Policy").ShouldBe("frame-ancestors 'none'");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
    }

    [Fact]
    public async Task In_testing_plain_http_is_served_without_redirect_or_hsts()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.Factory.CreateClient().GetAsync("/api/v1/status", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
