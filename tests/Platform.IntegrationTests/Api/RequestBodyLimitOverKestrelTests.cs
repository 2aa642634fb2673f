using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// The body limit over real Kestrel, which (unlike the test server) has a limit of its own and really streams chunked
/// bodies: oversized bodies still end in a 413 problem rather than Kestrel's bare 413.
/// </summary>
public sealed class RequestBodyLimitOverKestrelTests(PlatformServers servers)
{
    private const int Limit = 2048;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_body_is_a_413_problem(bool chunked)
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = Limit.ToString() });
        api.UseKestrel(0);
        api.StartServer();
        var tenant = await TestTenant.CreateAsync(api.Services.GetRequiredService<NpgsqlDataSource>(),
            api.Services.GetRequiredService<ApiKeyStore>(), "org-kestrel");
        var client = api.CreateClient();
        client.BaseAddress.ShouldNotBeNull().Port.ShouldNotBe(80, "the client must reach Kestrel on its dynamic port, not the test server");
        client.DefaultRequestHeaders.Add("X-API-Key", tenant.AdminKey);
        var body = """{"priority": 7, "markupRatio": 1.1}""".Insert(1, new string(' ', Limit * 8));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/pricing-rules")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        var response = await client.SendAsync(request, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        response.Headers.Server.ShouldBeEmpty();
    }
}
