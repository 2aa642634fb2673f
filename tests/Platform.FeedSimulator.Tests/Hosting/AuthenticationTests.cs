using System.Net.Http.Headers;

namespace Platform.FeedSimulator.Tests.Hosting;

public sealed class AuthenticationTests
{
    private static readonly Dictionary<string, string?> WithToken = new() { ["Simulator:ApiToken"] = "s3cret" };

    [Fact]
    public async Task With_a_token_configured_a_call_without_it_is_unauthorized()
    {
        await using var simulator = SimulatorHost.Start(settings: WithToken);

        var response = await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task With_a_token_configured_a_wrong_token_is_unauthorized_and_the_right_one_is_accepted()
    {
        await using var simulator = SimulatorHost.Start(settings: WithToken);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/diamonds/count");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/v1/diamonds/count");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");

        (await simulator.Client.SendAsync(wrong, SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await simulator.Client.SendAsync(right, SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_token_guards_only_the_supplier_api()
    {
        await using var simulator = SimulatorHost.Start(settings: WithToken);

        (await simulator.Client.GetAsync("/health/live", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await simulator.Client.GetAsync("/admin/stats", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_token_configured_calls_need_no_header()
    {
        await using var simulator = SimulatorHost.Start();

        (await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
