using System.Net;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>CORS is deny-by-default: only configured origins get CORS headers, and preflight works for them.</summary>
public sealed class CrossOriginTests(PlatformServers servers)
{
    private const string Listed = "https://shop.example";
    private const string Unlisted = "https://evil.example";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> ShopOnly = new() { ["Cors:AllowedOrigins:0"] = Listed };

    [Fact]
    public async Task Without_configured_origins_no_origin_gets_cors_headers()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var simple = await SendAsync(api, HttpMethod.Get, "/api/v1/status", Listed);
        var preflight = await PreflightAsync(api, Listed);

        simple.StatusCode.ShouldBe(HttpStatusCode.OK);
        simple.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        preflight.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task A_listed_origin_gets_cors_headers_and_a_working_preflight()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, ShopOnly);

        var simple = await SendAsync(api, HttpMethod.Get, "/api/v1/runs", Listed, api.A.AdminKey);
        var preflight = await PreflightAsync(api, Listed);

        simple.StatusCode.ShouldBe(HttpStatusCode.OK);
        simple.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(Listed);
        simple.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        preflight.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        preflight.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe(Listed);
        string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")).ShouldContain("x-api-key", Case.Insensitive);
        string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Methods")).ShouldContain("POST");
    }

    [Fact]
    public async Task An_unlisted_origin_gets_no_cors_headers_even_when_others_are_listed()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, ShopOnly);

        var simple = await SendAsync(api, HttpMethod.Get, "/api/v1/runs", Unlisted, api.A.AdminKey);
        var preflight = await PreflightAsync(api, Unlisted);

        simple.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        preflight.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        preflight.Headers.Contains("Access-Control-Allow-Headers").ShouldBeFalse();
    }

    private static Task<HttpResponseMessage> PreflightAsync(TwoTenantApi api, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/pricing-rules");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
        return api.Factory.CreateClient().SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> SendAsync(TwoTenantApi api, HttpMethod method, string path, string origin, string? key = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        return api.Factory.CreateClient().SendAsync(request, Ct);
    }
}
