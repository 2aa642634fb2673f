using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Alerting.Channels;
using Platform.IntegrationTests.Alerting;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// The SSRF guard through the api (ADR 0034): with private networks not allowed, feeds and alert channels whose URL or
/// host points inside are refused with 400 URL_NOT_ALLOWED, and a stored URL that leads inside anyway (DNS changed
/// after it was checked) fails at connect time without reaching the receiver and without a 500.
/// </summary>
public sealed class EgressApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // As in production, except plain http stays allowed so each case below fails on its address, not its scheme.
    private static readonly Dictionary<string, string?> Guarded = new()
    {
        ["Security:Egress:AllowPrivateNetworks"] = "false",
        ["Security:Egress:AllowHttp"] = "true",
    };

    [Theory]
    [InlineData("http://127.0.0.1:5090")]
    [InlineData("http://localhost:5090")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.8/")]
    [InlineData("https://[::1]/")]
    [InlineData("https://[::ffff:192.168.1.1]/")]
    [InlineData("https://2130706433/")]
    public async Task Feeds_pointing_inside_are_refused_on_create_and_update(string baseUrl)
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Guarded);
        var client = api.ClientWith(api.A.AdminKey);

        var created = await client.PostAsJsonAsync("/api/v1/feeds", new { name = "inside", adapter = "simulator", config = new { baseUrl } }, Ct);
        var patched = await client.PatchAsJsonAsync($"/api/v1/feeds/{api.A.FeedId}", new { config = new { baseUrl } }, Ct);

        var problem = await created.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "URL_NOT_ALLOWED");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["config.baseUrl"]);
        await patched.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "URL_NOT_ALLOWED");
        (await client.GetStringAsync("/api/v1/feeds", Ct)).ShouldNotContain("inside");
    }

    [Fact]
    public async Task Public_feed_urls_are_accepted_and_private_ones_too_where_private_networks_are_allowed()
    {
        await using var guarded = await TwoTenantApi.StartAsync(servers, Guarded);
        (await guarded.ClientWith(guarded.A.AdminKey).PostAsJsonAsync("/api/v1/feeds",
            new { name = "public", adapter = "nivoda-graphql", config = new { endpoint = "https://8.8.8.8/api/diamonds", username = "u" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // Testing (like Development) allows private networks unless configured: the simulator listens on 127.0.0.1.
        await using var open = await TwoTenantApi.StartAsync(servers);
        (await open.ClientWith(open.A.AdminKey).PostAsJsonAsync("/api/v1/feeds",
            new { name = "local", adapter = "simulator", config = new { baseUrl = "http://127.0.0.1:5090" } }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_allowed()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["Security:Egress:AllowHttp"] = "false" });
        var response = await api.ClientWith(api.A.AdminKey).PostAsJsonAsync("/api/v1/alerts/channels",
            new { name = "hook", kind = "webhook", url = "http://hooks.example/secret-path" }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "URL_NOT_ALLOWED");
        problem.GetRawText().ShouldNotContain("secret-path");
    }

    [Fact]
    public async Task Alert_channels_pointing_inside_are_refused_without_echoing_the_url()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Guarded);
        var client = api.ClientWith(api.A.AdminKey);

        var webhook = await client.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "hook", kind = "webhook", url = "https://127.0.0.1/hooks/secret-token" }, Ct);
        var slack = await client.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "slack", kind = "slack", url = "https://169.254.169.254/hooks/secret-token" }, Ct);
        var email = await client.PostAsJsonAsync("/api/v1/alerts/channels", new
        {
            name = "mail", kind = "email", email = new { host = "localhost", port = 25, security = "none", from = "alerts@example.com", to = new[] { "ops@example.com" } },
        }, Ct);

        var problem = await webhook.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "URL_NOT_ALLOWED");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["url"]);
        problem.GetRawText().ShouldNotContain("secret-token");
        await slack.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "URL_NOT_ALLOWED");
        (await email.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "URL_NOT_ALLOWED"))
            .GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["email.host"]);
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/alerts/channels", Ct)).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_stored_channel_that_leads_inside_is_refused_when_connecting_and_the_test_send_reports_it()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        await using var api = await TwoTenantApi.StartAsync(servers, Guarded);
        // Stored directly, as if the name had resolved to a public address when it was checked (DNS rebinding).
        var url = receiver.Url("/hooks/rebound").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var channel = (await api.Factory.Services.GetRequiredService<AlertChannelStore>()
            .CreateAsync(api.A.OrgId, "rebound", AlertChannelKinds.Webhook, null, url, 20, Ct)).ShouldNotBeNull();

        using var response = await api.ClientWith(api.A.AdminKey).PostAsync($"/api/v1/alerts/channels/{channel.Id}/test", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        result.GetProperty("delivered").GetBoolean().ShouldBeFalse();
        result.GetProperty("failure").GetString()!.ShouldContain("Refused to connect");
        receiver.At("/hooks/rebound").ShouldBeEmpty();
    }
}
