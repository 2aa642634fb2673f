using System.Net;
using System.Text;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// Bodies the framework refuses before a handler runs still answer catalogue problems. Oversized bodies (413) are
/// covered by <see cref="RequestBodyLimitTests"/> and <see cref="RequestBodyLimitOverKestrelTests"/>.
/// </summary>
public sealed class RequestFormatTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/v1/pricing-rules")]
    [InlineData("/api/v1/feeds/{feed}/runs")]
    public async Task Malformed_json_is_a_400_problem_not_a_500(string path)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync(path.Replace("{feed}", api.A.FeedId.ToString()),
            new StringContent("""{"priority": 1, "markupRatio": """, Encoding.UTF8, "application/json"), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task A_json_value_of_the_wrong_type_is_a_400_problem()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/pricing-rules",
            new StringContent("""{"priority": "first", "markupRatio": 1.1}""", Encoding.UTF8, "application/json"), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/pricing-rules",
            new StringContent("", Encoding.UTF8, "application/json"), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task A_text_plain_body_is_a_415_problem()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/pricing-rules",
            new StringContent("""{"priority":1,"markupRatio":1.1}""", Encoding.UTF8, "text/plain"), Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task A_non_uuid_id_does_not_match_the_route()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).GetAsync("/api/v1/pricing-rules/not-a-uuid", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "ROUTE_NOT_FOUND");
    }
}
