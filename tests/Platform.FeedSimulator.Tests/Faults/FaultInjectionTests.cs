using System.Diagnostics;
using Platform.FeedSimulator.Admin;
using Platform.FeedSimulator.Faults;

namespace Platform.FeedSimulator.Tests.Faults;

public sealed class FaultInjectionTests
{
    private static readonly string[] CountOnly = ["count"];

    [Fact]
    public async Task A_count_of_three_server_errors_fails_exactly_the_next_three_calls()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "server-error", count = 3 });

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 5; call++)
        {
            statuses.Add((await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation)).StatusCode);
        }

        statuses.ShouldBe([
            HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable,
            HttpStatusCode.OK, HttpStatusCode.OK]);
        (await ListRulesAsync(simulator)).Single().Fired.ShouldBe(3);
    }

    [Fact]
    public async Task An_injected_server_error_is_a_problem_with_the_injected_fault_code()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "server-error", count = 1, statusCode = 500 });

        var response = await simulator.Client.GetAsync("/api/v1/diamonds?limit=5", SimulatorHost.Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "INJECTED_FAULT");
    }

    [Fact]
    public async Task A_rate_limit_answers_429_with_a_retry_after_header()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "rate-limit", count = 1, retryAfterSeconds = 2 });

        var response = await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "INJECTED_FAULT");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_rate_of_twenty_percent_fails_about_a_fifth_of_500_calls()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "server-error", rate = 0.2 });

        var failures = 0;
        for (var call = 0; call < 500; call++)
        {
            var response = await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);
            failures += response.IsSuccessStatusCode ? 0 : 1;
        }

        failures.ShouldBeInRange(75, 125);
    }

    [Fact]
    public async Task Rate_based_faults_hit_the_same_calls_in_every_run_with_the_same_fault_seed()
    {
        async Task<string> FailurePatternAsync()
        {
            await using var simulator = SimulatorHost.Start();
            await AddRuleAsync(simulator, new { kind = "server-error", rate = 0.3 });
            var pattern = new System.Text.StringBuilder();
            for (var call = 0; call < 40; call++)
            {
                var response = await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);
                pattern.Append(response.IsSuccessStatusCode ? '.' : 'x');
            }
            return pattern.ToString();
        }

        (await FailurePatternAsync()).ShouldBe(await FailurePatternAsync());
    }

    [Fact]
    public async Task Latency_delays_the_answer_by_at_least_the_configured_time_and_then_answers_normally()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "latency", count = 1, latencyMs = 200 });

        var stopwatch = Stopwatch.StartNew();
        var response = await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);
        stopwatch.Stop();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        stopwatch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_timeout_holds_the_call_and_then_answers_504()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "timeout", count = 1, latencyMs = 50 });

        var response = await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation);

        await response.ShouldBeProblemAsync(HttpStatusCode.GatewayTimeout, "INJECTED_FAULT");
    }

    [Fact]
    public async Task A_timeout_lets_go_as_soon_as_the_caller_gives_up()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "timeout", count = 1 });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(SimulatorHost.Cancellation);

        var call = simulator.Client.GetAsync("/api/v1/diamonds/count", caller.Token);
        await Eventually.HoldsAsync(async () => (await ListRulesAsync(simulator)).Single().Fired == 1);
        await caller.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(call);
        await Eventually.HoldsAsync(async () =>
        {
            var stats = await simulator.Client.GetFromJsonAsync<AdminStats>("/admin/stats", SimulatorHost.Cancellation);
            return stats!.Requests.TryGetValue("count", out var outcomes) && outcomes.GetValueOrDefault("aborted") == 1;
        });
    }

    [Fact]
    public async Task A_rule_limited_to_some_paths_leaves_the_other_endpoints_alone()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "server-error", rate = 1.0, paths = CountOnly });

        (await simulator.Client.GetAsync("/api/v1/diamonds?limit=1", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await simulator.Client.GetAsync("/api/v1/diamonds/SIM-42-0000001", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/admin/stats")]
    [InlineData("/admin/faults")]
    [InlineData("/metrics")]
    public async Task Faults_never_hit_health_metrics_or_admin_endpoints(string path)
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "server-error", rate = 1.0 });

        for (var call = 0; call < 10; call++)
        {
            (await simulator.Client.GetAsync(path, SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await ListRulesAsync(simulator)).Single().Fired.ShouldBe(0);
    }

    [Fact]
    public async Task Clearing_the_rules_ends_all_faults()
    {
        await using var simulator = SimulatorHost.Start();
        await AddRuleAsync(simulator, new { kind = "server-error", rate = 1.0 });

        var cleared = await simulator.Client.DeleteAsync("/admin/faults", SimulatorHost.Cancellation);

        cleared.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ListRulesAsync(simulator)).ShouldBeEmpty();
        (await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rules_can_be_configured_at_start()
    {
        await using var simulator = SimulatorHost.Start(settings: new Dictionary<string, string?>
        {
            ["Simulator:Faults:Rules:0:Kind"] = "rate-limit",
            ["Simulator:Faults:Rules:0:Count"] = "1",
            ["Simulator:Faults:Rules:0:Paths:0"] = "search",
        });

        (await simulator.Client.GetAsync("/api/v1/diamonds/count", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await simulator.Client.GetAsync("/api/v1/diamonds", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await simulator.Client.GetAsync("/api/v1/diamonds", SimulatorHost.Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"kind":"explode","count":1}""", "kind")]
    [InlineData("""{"kind":"latency"}""", "rate")]
    [InlineData("""{"kind":"latency","rate":0.5,"count":2}""", "rate")]
    [InlineData("""{"kind":"latency","rate":1.5}""", "rate")]
    [InlineData("""{"kind":"latency","count":0}""", "count")]
    [InlineData("""{"kind":"server-error","count":1,"statusCode":404}""", "statusCode")]
    [InlineData("""{"kind":"server-error","count":1,"paths":["everything"]}""", "paths")]
    public async Task An_invalid_rule_is_rejected_with_a_problem_naming_the_field(string body, string field)
    {
        await using var simulator = SimulatorHost.Start();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await simulator.Client.PostAsync("/admin/faults", content, SimulatorHost.Cancellation);

        var detail = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        detail.ShouldStartWith(field);
    }

    private static async Task AddRuleAsync(SimulatorHost simulator, object rule)
    {
        var response = await simulator.PostAsync("/admin/faults", rule);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(SimulatorHost.Cancellation));
    }

    private static async Task<IReadOnlyList<FaultRuleView>> ListRulesAsync(SimulatorHost simulator) =>
        (await simulator.Client.GetFromJsonAsync<FaultRuleList>("/admin/faults", SimulatorHost.Cancellation))!.Rules;
}
