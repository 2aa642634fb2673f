using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Operations.Queues;
using Platform.Infrastructure.Telemetry;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Health;

/// <summary>
/// Readiness and the public status read the background sample of <see cref="OperationalGauges"/> (ADR 0033): probes
/// never query the queues or the error log themselves, a stale sample is reported Degraded instead of judged as current,
/// and the public status reuses its report for <c>Health:Readiness:StatusCacheSeconds</c>.
/// </summary>
public sealed class ReadinessSampleTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readiness_and_status_calls_read_the_background_sample_and_take_no_sample_themselves()
    {
        await using var api = await TwoTenantApi.StartAsync(servers, new Dictionary<string, string?>
        {
            ["Telemetry:GaugeRefreshSeconds"] = "3600",
            ["Health:Readiness:QueueOldestDegradedSeconds"] = "60",
        });
        var probe = api.ClientWith(await api.OperatorKeyAsync());
        var anonymous = api.Factory.CreateClient();
        var gauges = api.Factory.Services.GetRequiredService<OperationalGauges>();
        await gauges.FirstAttempt.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var taken = gauges.SamplesTaken;
        taken.ShouldBe(1);
        // A message that would make the transport Degraded, written after the only sample of this hour.
        await using (var connection = await api.Database.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO queue_messages (queue, message_id, body, enqueued_at, visible_at, max_attempts)
                VALUES ('ingest.page', 'old', '{}', now() - interval '10 minutes', now() - interval '10 minutes', 5)
                """);
        }

        for (var i = 0; i < 10; i++)
        {
            var transport = (await GetJsonAsync(probe, "/health/ready")).GetProperty("components").GetProperty("transport");
            transport.GetProperty("status").GetString().ShouldBe("Healthy", "the sample predates the message");
            transport.GetProperty("data").GetProperty("ingest.page").GetProperty("depth").GetInt64().ShouldBe(0);
            transport.GetProperty("data").GetProperty("sampleAgeSeconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
            (await GetJsonAsync(anonymous, "/api/v1/status")).GetProperty("status").GetString().ShouldBe("operational");
        }

        gauges.SamplesTaken.ShouldBe(taken, "twenty readiness and status calls took no sample");
    }

    [Fact]
    public async Task A_stale_sample_makes_the_sampled_checks_degraded_and_the_status_summary_follows_after_its_cache_period()
    {
        var database = await servers.CreateDatabaseAsync();
        var samples = new ScriptedSnapshots(TimeSpan.FromSeconds(60))
        {
            Latest = Snapshot(DateTimeOffset.UtcNow, pageDepth: 7, errors: 2),
        };
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Health:Readiness:StatusCacheSeconds"] = "2",
        });
        await using var probeHost = LoopbackCaller.SeesDetail(api).WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IOperationalSnapshots>(samples)));
        var probe = probeHost.CreateClient();

        // Fresh: the figures are the sample's (the database holds no message and no error).
        var components = (await GetJsonAsync(probe, "/health/ready")).GetProperty("components");
        components.GetProperty("transport").GetProperty("status").GetString().ShouldBe("Healthy");
        components.GetProperty("transport").GetProperty("data").GetProperty("ingest.page").GetProperty("depth").GetInt64().ShouldBe(7);
        components.GetProperty("errors").GetProperty("data").GetProperty("errors").GetInt64().ShouldBe(2);
        (await GetJsonAsync(probe, "/api/v1/status")).GetProperty("status").GetString().ShouldBe("operational");

        // Sampling stopped ten minutes ago (60 s refresh, stale after three): Degraded with the reason, not old figures.
        samples.Latest = Snapshot(DateTimeOffset.UtcNow.AddMinutes(-10), pageDepth: 7, errors: 2);
        (await GetJsonAsync(probe, "/api/v1/status")).GetProperty("status").GetString().ShouldBe("operational", "the status report is reused within its cache period");
        var (status, body) = await GetAsync(probe, "/health/ready");
        status.ShouldBe(HttpStatusCode.OK, "a stale sample is Degraded, which keeps traffic");
        body.GetProperty("status").GetString().ShouldBe("Degraded");
        foreach (var name in (string[])["transport", "errors"])
        {
            var component = body.GetProperty("components").GetProperty(name);
            component.GetProperty("status").GetString().ShouldBe("Degraded", name);
            component.GetProperty("description").GetString()!.ShouldStartWith("Stale sample:");
            component.GetProperty("data").GetProperty("sampleAgeSeconds").GetDouble().ShouldBeGreaterThan(590);
        }
        await Eventually.TrueAsync(async () => (await GetJsonAsync(probe, "/api/v1/status")).GetProperty("status").GetString() == "degraded",
            TimeSpan.FromSeconds(15), "the status summary follows once its cached report expires");

        // No sample at all (sampling never succeeded since the start).
        samples.Latest = null;
        var transport = (await GetJsonAsync(probe, "/health/ready")).GetProperty("components").GetProperty("transport");
        transport.GetProperty("status").GetString().ShouldBe("Degraded");
        transport.GetProperty("description").GetString()!.ShouldStartWith("No sample of the queues yet");
    }

    private static OperationalSnapshot Snapshot(DateTimeOffset at, long pageDepth, long errors) => new(at,
        [new QueueStatus("ingest.page", pageDepth, pageDepth, 0, 0, 1, 0), new QueueStatus("ingest.scan", 0, 0, 0, 0, 0, 0)], errors, 5);

    /// <summary>A sampler the test sets by hand: what readiness reports must be whatever it holds.</summary>
    private sealed class ScriptedSnapshots(TimeSpan interval) : IOperationalSnapshots
    {
        public OperationalSnapshot? Latest { get; set; }

        public TimeSpan Interval => interval;

        public Task FirstAttempt => Task.CompletedTask;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path) => (await GetAsync(client, path)).Body;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }
}
