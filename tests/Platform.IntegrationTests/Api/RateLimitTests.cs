using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.Health;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// Rate limits against the real Redis (PLATFORM §7): the 429 answer, the RateLimit fields, per-key partitions, one budget
/// shared by two api hosts, and the per-process fallback when Redis is unreachable. Limits are small to stay fast; every
/// host counts under its own Redis prefix unless a test shares one on purpose.
/// </summary>
public sealed class RateLimitTests(PlatformServers servers)
{
    [Fact]
    public async Task The_101st_public_request_in_a_minute_gets_429_with_retry_after_and_rate_limit_fields()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, Limits(("Public", 100)));
        var client = api.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 100; i++)
        {
            using var admitted = await client.GetAsync("/api/v1/status", ct);
            admitted.StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i + 1}");
            Header(admitted, "RateLimit-Policy").ShouldBe("\"public\";q=100;w=60");
            Header(admitted, "RateLimit").ShouldStartWith($"\"public\";r={99 - i};t=");
        }

        using var refused = await client.GetAsync("/api/v1/status", ct);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        problem.GetProperty("detail").GetString()!.ShouldContain("public");
        var retryAfter = int.Parse(Header(refused, "Retry-After"));
        retryAfter.ShouldBeInRange(1, 60);
        Header(refused, "RateLimit-Policy").ShouldBe("\"public\";q=100;w=60");
        Header(refused, "RateLimit").ShouldBe($"\"public\";r=0;t={retryAfter}");
        // Probes are never limited: an exhausted client IP does not take the pod out of rotation.
        (await client.GetAsync("/health/live", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_api_key_has_its_own_budget()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Limits(("CatalogRead", 3)));
        var ct = TestContext.Current.CancellationToken;
        var a = api.ClientWith(api.A.ReaderKey);
        for (var i = 0; i < 3; i++)
        {
            (await a.GetAsync("/api/v1/organization", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await (await a.GetAsync("/api/v1/organization", ct)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");

        using var otherTenant = await api.ClientWith(api.B.ReaderKey).GetAsync("/api/v1/organization", ct);
        otherTenant.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(otherTenant, "RateLimit").ShouldStartWith("\"catalog-read\";r=2;");
        // Another key of the same organization is another partition too.
        (await api.ClientWith(api.A.AdminKey).GetAsync("/api/v1/organization", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reads_and_writes_count_against_their_own_policies()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, Limits(("CatalogRead", 50), ("CatalogWrite", 7)));
        var ct = TestContext.Current.CancellationToken;
        var client = api.ClientWith(api.A.AdminKey);

        using var read = await client.GetAsync("/api/v1/runs", ct);
        using var batchGet = await client.PostAsJsonAsync("/api/v1/diamonds:batchGet", new { ids = new[] { Guid.NewGuid() } }, ct);
        using var write = await client.DeleteAsync($"/api/v1/pricing-rules/{Guid.NewGuid()}", ct);

        Header(read, "RateLimit-Policy").ShouldBe("\"catalog-read\";q=50;w=60");
        Header(batchGet, "RateLimit-Policy").ShouldBe("\"catalog-read\";q=50;w=60");
        Header(batchGet, "RateLimit").ShouldStartWith("\"catalog-read\";r=48;");
        write.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Header(write, "RateLimit-Policy").ShouldBe("\"catalog-write\";q=7;w=60");
        Header(write, "RateLimit").ShouldStartWith("\"catalog-write\";r=6;");
    }

    [Fact]
    public async Task Two_api_hosts_sharing_redis_admit_no_more_than_the_limit_between_them()
    {
        const int limit = 40;
        var ct = TestContext.Current.CancellationToken;
        // One prefix for both hosts, as for replicas of one deployment; a generous timeout so no request falls back under load.
        var settings = Limits(("Public", limit));
        settings["RateLimits:KeyPrefix"] = $"test-shared-{Guid.NewGuid():N}:";
        settings["RateLimits:RedisTimeoutMilliseconds"] = "3000";
        await using var first = new ApiFactory((await servers.CreateDatabaseAsync()).ConnectionString, servers.Redis.ConnectionString, settings);
        await using var second = new ApiFactory((await servers.CreateDatabaseAsync()).ConnectionString, servers.Redis.ConnectionString, settings);
        var clients = new[] { first.CreateClient(), second.CreateClient() };

        // One request per host first, so both have their Redis connection before the burst (on this 2-core machine a
        // cold host under 120 concurrent requests can miss even a 3 s timeout and count in process, by design).
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        foreach (var client in clients)
        {
            using var warmUp = await client.GetAsync("/api/v1/status", ct);
            statuses.Add(warmUp.StatusCode);
        }
        await Parallel.ForEachAsync(Enumerable.Range(0, 3 * limit - 2), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) =>
            {
                using var response = await clients[i % 2].GetAsync("/api/v1/status", token);
                statuses.Add(response.StatusCode);
            });

        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        admitted.ShouldBeLessThanOrEqualTo((int)(limit * 1.01));
        admitted.ShouldBe(limit, "Redis answered every request, so the shared window admits exactly the limit");
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBe(2 * limit);
    }

    [Fact]
    public async Task Three_api_processes_sharing_redis_admit_at_most_the_limit_times_1_01_and_refuse_the_rest_with_429()
    {
        const int limit = 100;
        var ct = TestContext.Current.CancellationToken;
        var database = await servers.CreateDatabaseAsync();
        // Replicas of one deployment: one key prefix, the public policy at its default of 100 per minute per client IP.
        var settings = new Dictionary<string, string>
        {
            ["RateLimits__KeyPrefix"] = $"test-three-{Guid.NewGuid():N}:",
            ["RateLimits__Public__PermitLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits__RedisTimeoutMilliseconds"] = "3000",
        };
        var processes = new List<Platform.Testing.ServiceProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                processes.Add(await ApiProcess.StartAsync(database.ConnectionString, servers.Redis.ConnectionString, $"api-rate-limit-{i}", settings));
            }
            var clients = processes.Select(p => new HttpClient { BaseAddress = new Uri(p.Url) }).ToArray();
            var answers = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode Status, string? RetryAfter, string? RateLimit, string? Policy)>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 3 * limit), new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = ct },
                async (i, token) =>
                {
                    using var response = await clients[i % 3].GetAsync("/api/v1/status", token);
                    answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Optional(response, "RateLimit"), Optional(response, "RateLimit-Policy")));
                });

            var admitted = answers.Count(a => a.Status == HttpStatusCode.OK);
            admitted.ShouldBeLessThanOrEqualTo((int)(limit * 1.01));
            admitted.ShouldBeGreaterThanOrEqualTo(limit - 1, "every process counted in the shared window, so the budget is used, not split three ways");
            var refused = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
            refused.Count.ShouldBe(3 * limit - admitted);
            refused.ShouldAllBe(a => a.Status == HttpStatusCode.TooManyRequests && a.RetryAfter != null
                && a.RateLimit!.StartsWith("\"public\";r=0;t=") && a.Policy == "\"public\";q=100;w=60");
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static string? Optional(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task With_redis_unreachable_requests_are_limited_per_process_and_ready_reports_rate_limits_degraded()
    {
        var database = await servers.CreateDatabaseAsync();
        var closedPort = $"127.0.0.1:{FreePort.Next()},connectTimeout=500";
        await using var api = new ApiFactory(database.ConnectionString, closedPort, Limits(("Public", 5)));
        // The readiness detail is for operators: callers from a detail network see it.
        await using var local = LoopbackCaller.SeesDetail(api);
        var client = local.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 5; i++)
        {
            using var admitted = await client.GetAsync("/api/v1/status", ct);
            admitted.StatusCode.ShouldBe(HttpStatusCode.OK);
            Header(admitted, "RateLimit-Policy").ShouldBe("\"public\";q=5;w=60");
        }
        await (await client.GetAsync("/api/v1/status", ct)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");

        using var ready = await client.GetAsync("/health/ready", ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonSerializer.Deserialize<JsonElement>(await ready.Content.ReadAsStringAsync(ct));
        body.GetProperty("status").GetString().ShouldBe("Degraded");
        var rateLimits = body.GetProperty("components").GetProperty("rate-limits");
        rateLimits.GetProperty("status").GetString().ShouldBe("Degraded");
        rateLimits.GetProperty("data").GetProperty("mode").GetString().ShouldBe("per-process");
    }

    [Fact]
    public async Task When_redis_stops_and_comes_back_the_limiter_falls_back_and_then_counts_in_redis_again()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var redis = await RedisServer.StartOwnedAsync();
        await using var api = new ApiFactory(database.ConnectionString, redis.ConnectionString, Limits(("Public", 50)));
        await using var local = LoopbackCaller.SeesDetail(api);
        var client = local.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        Header(await client.GetAsync("/api/v1/status", ct), "RateLimit").ShouldStartWith("\"public\";r=49;");

        await redis.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/api/v1/status", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await RateLimitsStatusAsync(client)).ShouldBe("Degraded");

        await redis.StartAsync();
        await Eventually.TrueAsync(async () => await RateLimitsStatusAsync(client) == "Healthy", TimeSpan.FromSeconds(30),
            "the rate-limits check turns Healthy once Redis answers again");
        // A restarted Redis without persistence has forgotten the window: this is its first request again.
        Header(await client.GetAsync("/api/v1/status", ct), "RateLimit").ShouldStartWith("\"public\";r=49;");
    }

    [Fact]
    public async Task Rate_limits_are_healthy_in_ready_while_redis_answers()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString);
        await using var local = LoopbackCaller.SeesDetail(api);
        var client = local.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        (await client.GetAsync("/api/v1/status", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var body = JsonSerializer.Deserialize<JsonElement>(await (await client.GetAsync("/health/ready", ct)).Content.ReadAsStringAsync(ct));

        body.GetProperty("components").GetProperty("rate-limits").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Theory]
    [InlineData("RateLimits:Public:PermitLimit", "0", "RateLimits:Public:PermitLimit")]
    [InlineData("RateLimits:CatalogWrite:WindowSeconds", "0", "RateLimits:CatalogWrite:WindowSeconds")]
    [InlineData("RateLimits:RedisTimeoutMilliseconds", "5", "RateLimits:RedisTimeoutMilliseconds")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "not-an-ip", "ForwardedHeaders:KnownProxies")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "ForwardedHeaders:KnownNetworks")]
    public async Task Bad_rate_limit_or_proxy_settings_stop_the_start_and_name_the_setting(string key, string value, string expected)
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString,
            new Dictionary<string, string?> { [key] = value });

        var error = Should.Throw<Exception>(() => api.CreateClient());

        error.ToString().ShouldContain(expected);
    }

    private static async Task<string?> RateLimitsStatusAsync(HttpClient client)
    {
        var body = JsonSerializer.Deserialize<JsonElement>(await client.GetStringAsync("/health/ready"));
        return body.GetProperty("components").GetProperty("rate-limits").GetProperty("status").GetString();
    }

    private static Dictionary<string, string?> Limits(params (string Policy, int PermitLimit)[] limits) =>
        limits.ToDictionary(l => $"RateLimits:{l.Policy}:PermitLimit", l => (string?)l.PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new ShouldAssertException($"No {name} header on {(int)response.StatusCode}.");
}
