using System.Diagnostics;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Feeds.RateLimiting;
using Platform.Infrastructure.Feeds.Resilience;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>The per-feed upstream rate limit, shared through Postgres by every process.</summary>
public sealed class UpstreamRateLimiterTests(PlatformServers servers)
{
    private static readonly string[] SearchOnly = ["search"];

    [Fact]
    public async Task Two_processes_together_stay_within_the_feeds_rate_and_both_make_progress()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var first = database.CreateDataSource();
        await using var second = database.CreateDataSource();
        var feedId = await FeedRows.InsertAsync(first, rps: 5);
        var processes = new[] { Limiter(first), Limiter(second) };
        var clock = Stopwatch.StartNew();
        var running = TimeSpan.FromSeconds(3);

        var admitted = await Task.WhenAll(processes.SelectMany(limiter => Enumerable.Range(0, 3).Select(async _ =>
        {
            var calls = 0;
            while (clock.Elapsed < running)
            {
                await limiter.AcquireAsync(feedId, 5, CancellationToken.None);
                calls++;
            }
            return calls;
        })));
        var elapsed = clock.Elapsed.TotalSeconds;

        var total = admitted.Sum();
        total.ShouldBeLessThanOrEqualTo((int)Math.Floor((5 * elapsed) + 5), $"{total} requests in {elapsed:0.00} s");
        total.ShouldBeGreaterThanOrEqualTo(10);
        admitted.Take(3).Sum().ShouldBeGreaterThan(0, "the first process made progress");
        admitted.Skip(3).Sum().ShouldBeGreaterThan(0, "the second process made progress");
        (await FeedRows.AdmittedAsync(first, feedId)).ShouldBe(total);
    }

    [Fact]
    public async Task A_busy_feed_does_not_throttle_another_feed()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        var busy = await FeedRows.InsertAsync(dataSource, rps: 1);
        var quiet = await FeedRows.InsertAsync(dataSource, rps: 1);
        var limiter = Limiter(dataSource);
        await limiter.AcquireAsync(busy, 1, CancellationToken.None);

        var waited = await limiter.AcquireAsync(quiet, 1, CancellationToken.None);

        waited.ShouldBeLessThan(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_caller_that_finds_no_slot_within_the_maximum_wait_gets_a_timeout()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        var feedId = await FeedRows.InsertAsync(dataSource, rps: 0.5m);
        var limiter = Limiter(dataSource, maxWaitSeconds: 0.4);
        await limiter.AcquireAsync(feedId, 0.5m, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<UpstreamRateLimitTimeoutException>(() => limiter.AcquireAsync(feedId, 0.5m, CancellationToken.None));

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.35));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5), "one token every 2 s is never waited for beyond the maximum");
        failure.FeedId.ShouldBe(feedId);
        failure.Message.ShouldContain("Upstream:RateLimitMaxWaitSeconds");
        (await FeedRows.AdmittedAsync(dataSource, feedId)).ShouldBe(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(999_999.99)]
    public async Task An_unlimited_feed_is_admitted_at_once_without_touching_the_database(decimal rps)
    {
        // Nothing listens on port 1: any query would fail.
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=1");

        var waited = await Limiter(unreachable).AcquireAsync(Guid.NewGuid(), rps, CancellationToken.None);

        waited.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task Every_upstream_request_of_an_adapter_takes_a_slot_from_its_feeds_bucket()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var dataSource = database.CreateDataSource();
        var feedId = await FeedRows.InsertAsync(dataSource, rps: 20);
        await using var simulator = SimulatorServer.Start();
        await using var host = FeedTestHost.Start(simulator.CreateHandler, dataSource: dataSource);
        var adapter = host.Adapter(TestFeeds.Simulator(rps: 20, id: feedId));
        await simulator.AddFaultAsync(new { kind = "server-error", count = 1, paths = SearchOnly });

        await adapter.CountAsync(TestFeeds.Everything, CancellationToken.None);
        await adapter.SearchAsync(TestFeeds.Everything, 0, 30, CancellationToken.None);

        (await FeedRows.AdmittedAsync(dataSource, feedId)).ShouldBe(3, "a count, a failed search and its retry");
    }

    private static PostgresUpstreamRateLimiter Limiter(NpgsqlDataSource dataSource, double maxWaitSeconds = 30)
    {
        DapperConventions.Apply();
        return new PostgresUpstreamRateLimiter(
            dataSource, Options.Create(new UpstreamOptions { RateLimitMaxWaitSeconds = maxWaitSeconds }), TimeProvider.System);
    }
}
