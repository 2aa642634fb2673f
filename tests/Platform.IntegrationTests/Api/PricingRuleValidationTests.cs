using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

public sealed class PricingRuleValidationTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"priority":1,"markupRatio":0}""", "markupRatio" },
        { """{"priority":1,"markupRatio":11}""", "markupRatio" },
        { """{"priority":1,"markupRatio":1.23456}""", "markupRatio" },
        { """{"priority":1}""", "markupRatio" },
        { """{"markupRatio":1.1}""", "priority" },
        { """{"priority":-1,"markupRatio":1.1}""", "priority" },
        { """{"priority":1000001,"markupRatio":1.1}""", "priority" },
        { """{"priority":1,"markupRatio":1.1,"rating":0}""", "rating" },
        { """{"priority":1,"markupRatio":1.1,"rating":11}""", "rating" },
        { """{"priority":1,"markupRatio":1.1,"caratMin":2,"caratMax":1}""", "caratMin" },
        { """{"priority":1,"markupRatio":1.1,"caratMax":-1}""", "caratMax" },
        { """{"priority":1,"markupRatio":1.1,"caratMin":10000}""", "caratMin" },
        { """{"priority":1,"markupRatio":1.1,"shapes":["Round"," "]}""", "shapes" },
        { """{"priority":1,"markupRatio":1.1,"shapes":["Round",null]}""", "shapes" },
        { """{"priority":1,"markupRatio":1.1,"shapes":["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]}""", "shapes" },
        { """{"priority":1,"markupRatio":1.1,"shapes":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19","20","21"]}""", "shapes" },
        { """{"priority":1,"markupRatio":1.1,"feedId":"00000000-0000-0000-0000-000000000001"}""", "feedId" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_rule_is_a_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);

        var response = await client.PostAsync("/api/v1/pricing-rules", Json(body), Ct);

        await response.ShouldFailValidationOnAsync(field);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pricing_rules")).ShouldBe(0);
        (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE target_type = 'pricing_rule'")).ShouldBe(0);
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);

        var response = await api.ClientWith(api.A.AdminKey).PostAsync("/api/v1/pricing-rules",
            Json("""{"priority":-1,"markupRatio":0,"rating":0,"caratMin":3,"caratMax":2,"shapes":[""]}"""), Ct);

        await response.ShouldFailValidationOnAsync("priority", "markupRatio", "rating", "caratMin", "shapes");
    }

    [Fact]
    public async Task A_feed_of_another_organization_reads_like_an_unknown_feed()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.B.AdminKey);

        var foreign = await client.PostAsJsonAsync("/api/v1/pricing-rules", new { priority = 1, markupRatio = 1.1m, feedId = api.A.FeedId }, Ct);
        var unknown = await client.PostAsJsonAsync("/api/v1/pricing-rules", new { priority = 1, markupRatio = 1.1m, feedId = Guid.NewGuid() }, Ct);

        await foreign.ShouldFailValidationOnAsync("feedId");
        await unknown.ShouldFailValidationOnAsync("feedId");
        (await FeedErrorAsync(foreign)).ShouldBe(await FeedErrorAsync(unknown));
    }

    [Fact]
    public async Task Put_validates_like_post()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(api.A.AdminKey);
        var id = await PricingRulesApiTests.CreateIdAsync(client, new { priority = 1, markupRatio = 1.1m });

        var response = await client.PutAsync($"/api/v1/pricing-rules/{id}", Json("""{"priority":1,"markupRatio":10.5}"""), Ct);

        await response.ShouldFailValidationOnAsync("markupRatio");
    }

    private static async Task<string> FeedErrorAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("errors").GetProperty("feedId").GetRawText();

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
