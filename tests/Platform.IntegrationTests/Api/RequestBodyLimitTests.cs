using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Api.Security;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>Bodies over <c>Api:MaxRequestBodyBytes</c> get 413 PAYLOAD_TOO_LARGE, whether their length is declared or not.</summary>
public sealed class RequestBodyLimitTests(PlatformServers servers)
{
    private const int Limit = 2048;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> SmallLimit = new() { ["Api:MaxRequestBodyBytes"] = Limit.ToString() };

    [Fact]
    public async Task The_default_limit_is_one_mebibyte()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        api.Factory.Services.GetRequiredService<IOptions<RequestBodyOptions>>().Value.MaxRequestBodyBytes.ShouldBe(1024 * 1024);
    }

    [Fact]
    public async Task A_body_within_the_limit_is_accepted()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, SmallLimit);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/pricing-rules", Json(Rule(Limit)), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_body_with_a_content_length_over_the_limit_is_a_413_problem()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, SmallLimit);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/pricing-rules", Json(Rule(Limit + 1)), Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain(Limit.ToString());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_problem()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, SmallLimit);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/pricing-rules") { Content = new ChunkedJson(Rule(Limit * 4)) };
        request.Headers.TransferEncodingChunked = true;

        var response = await api.ClientWith(api.A.AdminKey).SendAsync(request, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        var rules = await api.ClientWith(api.A.AdminKey).GetStringAsync("/api/v1/pricing-rules", Ct);
        rules.ShouldNotContain("\"priority\":7");
    }

    [Fact]
    public async Task A_limit_out_of_range_stops_the_start_and_names_the_setting()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = "0" });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain("Api:MaxRequestBodyBytes");
    }

    /// <summary>A valid pricing rule padded with whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    private static string Rule(int bytes)
    {
        const string rule = """{"priority": 7, "markupRatio": 1.1}""";
        return rule.Insert(1, new string(' ', bytes - rule.Length));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Content whose length is not known in advance, so it is sent without Content-Length.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(string body)
        {
            _bytes = Encoding.UTF8.GetBytes(body);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
