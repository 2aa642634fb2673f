using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Alerting;

/// <summary>
/// <c>/api/v1/alerts</c> and <c>/api/v1/admin/alerts</c>: channels and rules per owner, secrets never returned, limits
/// validated, other owners' ids 404, and test sends that really reach an HTTP receiver, an SMTP server and PagerDuty's API.
/// </summary>
public sealed class AlertsApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Channels_never_return_their_secrets_and_a_test_send_reaches_the_webhook_receiver()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);
        var url = receiver.Url("/hooks/secret-token-0123456789abcdef");

        var created = await CreateAsync(a, "/api/v1/alerts/channels", new { name = "ops webhook", kind = "webhook", url });
        var id = created.GetProperty("id").GetGuid();
        var listed = await a.GetStringAsync("/api/v1/alerts/channels", Ct);
        var test = await (await a.PostAsync($"/api/v1/alerts/channels/{id}/test", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        created.GetRawText().ShouldNotContain("secret-token");
        listed.ShouldNotContain("secret-token");
        created.GetProperty("secretHint").GetString().ShouldBe("…cdef");
        test.GetProperty("delivered").GetBoolean().ShouldBeTrue();
        var body = receiver.At("/hooks/secret-token-0123456789abcdef").ShouldHaveSingleItem();
        body.GetProperty("type").GetString().ShouldBe("alert.test");
        body.GetProperty("summary").GetString()!.ShouldContain("reachable");
        var channel = (await a.GetFromJsonAsync<JsonElement>("/api/v1/alerts/channels", Ct)).GetProperty("items")[0];
        channel.GetProperty("lastDeliveredAt").ValueKind.ShouldBe(JsonValueKind.String);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        var stored = await connection.ExecuteScalarAsync<byte[]>("SELECT secret FROM alert_channels WHERE id = @id", new { id });
        System.Text.Encoding.UTF8.GetString(stored!).ShouldNotContain("secret-token", customMessage: "the URL is encrypted at rest");
    }

    [Fact]
    public async Task A_test_send_to_a_refusing_receiver_reports_the_failure_without_the_secret_url()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        receiver.FailFirst["/down"] = 100;
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);
        var id = (await CreateAsync(a, "/api/v1/alerts/channels", new { name = "slack", kind = "slack", url = receiver.Url("/down") })).GetProperty("id").GetGuid();

        var test = await (await a.PostAsync($"/api/v1/alerts/channels/{id}/test", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        test.GetProperty("delivered").GetBoolean().ShouldBeFalse();
        test.GetProperty("failure").GetString()!.ShouldContain("500");
        test.GetRawText().ShouldNotContain("/down");
        var channel = (await a.GetFromJsonAsync<JsonElement>("/api/v1/alerts/channels", Ct)).GetProperty("items")[0];
        channel.GetProperty("lastFailure").GetString()!.ShouldContain("500");
    }

    [Fact]
    public async Task An_email_channel_delivers_over_real_smtp_and_hides_its_password()
    {
        await using var smtp = new SmtpReceiver();
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);
        var created = await CreateAsync(a, "/api/v1/alerts/channels", new
        {
            name = "on-call mail", kind = "email",
            email = new { host = "127.0.0.1", port = smtp.Port, security = "none", password = "smtp-password-do-not-show", from = "platform@example.test", to = new[] { "oncall@example.test", "lead@example.test" } },
        });

        var test = await (await a.PostAsync($"/api/v1/alerts/channels/{created.GetProperty("id").GetGuid()}/test", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        created.GetRawText().ShouldNotContain("smtp-password");
        created.GetProperty("email").GetProperty("to").GetArrayLength().ShouldBe(2);
        test.GetProperty("delivered").GetBoolean().ShouldBeTrue(test.GetRawText());
        var message = smtp.Messages.ShouldHaveSingleItem();
        message.From.ShouldBe("platform@example.test");
        message.To.ShouldBe(["oncall@example.test", "lead@example.test"]);
        message.Data.ShouldContain("Subject: [TEST]");
        message.Data.ShouldContain("this channel is reachable");
    }

    [Fact]
    public async Task A_pagerduty_channel_test_posts_an_events_v2_trigger_with_its_routing_key_then_resolves_it_with_the_same_dedup_key()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["Alerting:PagerDutyEventsUrl"] = receiver.Url("/v2/enqueue") });
        var a = api.ClientWith(api.A.AdminKey);
        var created = await CreateAsync(a, "/api/v1/alerts/channels", new { name = "pd", kind = "pagerduty", routingKey = "R0UT1NGKEY0123456789abcdefABCDEF" });

        await a.PostAsync($"/api/v1/alerts/channels/{created.GetProperty("id").GetGuid()}/test", null, Ct);

        created.GetRawText().ShouldNotContain("R0UT1NGKEY");
        // A test send triggers and then resolves its own incident: nobody's pager is left with an open test alert.
        var bodies = receiver.At("/v2/enqueue");
        bodies.Count.ShouldBe(2);
        var (body, resolve) = (bodies[0], bodies[1]);
        body.GetProperty("routing_key").GetString().ShouldBe("R0UT1NGKEY0123456789abcdefABCDEF");
        body.GetProperty("event_action").GetString().ShouldBe("trigger");
        var dedupKey = body.GetProperty("dedup_key").GetString()!;
        dedupKey.ShouldStartWith("platform-test-");
        resolve.GetProperty("routing_key").GetString().ShouldBe("R0UT1NGKEY0123456789abcdefABCDEF");
        resolve.GetProperty("event_action").GetString().ShouldBe("resolve");
        resolve.GetProperty("dedup_key").GetString().ShouldBe(dedupKey);
        var payload = body.GetProperty("payload");
        payload.GetProperty("source").GetString().ShouldBe("platform");
        payload.GetProperty("severity").GetString().ShouldBe("info");
        payload.GetProperty("summary").GetString()!.ShouldStartWith("[TEST]");
    }

    [Fact]
    public async Task Invalid_channels_and_rules_are_refused_with_field_errors_and_never_echo_secrets()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);

        var badUrl = await a.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "", kind = "webhook", url = "ftp://user:pw@host/secret-path" }, Ct);
        await badUrl.ShouldFailValidationOnAsync("name", "url");
        (await badUrl.Content.ReadAsStringAsync(Ct)).ShouldNotContain("secret-path");
        await (await a.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "x", kind = "carrier-pigeon" }, Ct)).ShouldFailValidationOnAsync("kind");
        await (await a.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "x", kind = "email", email = new { host = "", port = 70000, security = "tls?", from = "nobody", to = Array.Empty<string>() } }, Ct))
            .ShouldFailValidationOnAsync("email.host", "email.port", "email.security", "email.from", "email.to");
        await (await a.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "pd", kind = "pagerduty", routingKey = "has spaces" }, Ct)).ShouldFailValidationOnAsync("routingKey");
        // Queue health is platform-wide: an organization cannot route it.
        await (await a.PostAsJsonAsync("/api/v1/alerts/rules", new { name = "r", kind = "no_progress", channelIds = new[] { Guid.NewGuid() }, cooldownSeconds = 0 }, Ct))
            .ShouldFailValidationOnAsync("kind", "cooldownSeconds");
        await (await a.PostAsJsonAsync("/api/v1/alerts/rules", new { name = "r", kind = "run_failed", channelIds = new[] { Guid.NewGuid() } }, Ct)).ShouldFailValidationOnAsync("channelIds");
        await (await a.GetAsync("/api/v1/alerts/history?limit=0&status=maybe", Ct)).ShouldFailValidationOnAsync("limit", "status");
    }

    [Fact]
    public async Task Another_organizations_channels_and_rules_answer_404_and_cannot_be_routed_to()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        await using var api = await TwoTenantApi.StartAsync(servers);
        var a = api.ClientWith(api.A.AdminKey);
        var b = api.ClientWith(api.B.AdminKey);
        var channelA = (await CreateAsync(a, "/api/v1/alerts/channels", new { name = "a", kind = "webhook", url = receiver.Url("/a") })).GetProperty("id").GetGuid();
        var ruleA = (await CreateAsync(a, "/api/v1/alerts/rules", new { name = "runs", kind = "run_failed", channelIds = new[] { channelA } })).GetProperty("id").GetGuid();

        await (await b.PostAsync($"/api/v1/alerts/channels/{channelA}/test", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await b.DeleteAsync($"/api/v1/alerts/channels/{channelA}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await b.DeleteAsync($"/api/v1/alerts/rules/{ruleA}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await b.PostAsJsonAsync("/api/v1/alerts/rules", new { name = "steal", kind = "run_failed", channelIds = new[] { channelA } }, Ct)).ShouldFailValidationOnAsync("channelIds");
        (await b.GetFromJsonAsync<JsonElement>("/api/v1/alerts/channels", Ct)).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await b.GetFromJsonAsync<JsonElement>("/api/v1/alerts/rules", Ct)).GetProperty("items").GetArrayLength().ShouldBe(0);
        // The operator's platform-wide list is a different owner too.
        var operatorKey = api.ClientWith(await api.OperatorKeyAsync());
        (await operatorKey.GetFromJsonAsync<JsonElement>("/api/v1/admin/alerts/channels", Ct)).GetProperty("items").GetArrayLength().ShouldBe(0);
        await (await operatorKey.DeleteAsync($"/api/v1/admin/alerts/channels/{channelA}", Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await a.GetAsync("/api/v1/admin/alerts/channels", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        receiver.At("/a").ShouldBeEmpty();

        (await a.DeleteAsync($"/api/v1/alerts/channels/{channelA}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var rule = (await a.GetFromJsonAsync<JsonElement>("/api/v1/alerts/rules", Ct)).GetProperty("items")[0];
        rule.GetProperty("channelIds").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task The_channel_limit_per_owner_is_enforced()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?> { ["Alerting:MaxChannelsPerOwner"] = "2" });
        var a = api.ClientWith(api.A.AdminKey);
        for (var i = 0; i < 2; i++)
        {
            await CreateAsync(a, "/api/v1/alerts/channels", new { name = $"c{i}", kind = "webhook", url = "https://hooks.example.test/x" });
        }

        await (await a.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "c3", kind = "webhook", url = "https://hooks.example.test/x" }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALERT_LIMIT_REACHED");
        (await CreateAsync(api.ClientWith(api.B.AdminKey), "/api/v1/alerts/channels", new { name = "b", kind = "webhook", url = "https://hooks.example.test/x" }))
            .GetProperty("name").GetString().ShouldBe("b");
    }

    internal static async Task<JsonElement> CreateAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Ct);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, json.GetRawText());
        return json;
    }
}
