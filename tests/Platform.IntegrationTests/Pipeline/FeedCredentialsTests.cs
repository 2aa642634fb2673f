using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Feeds.Secrets;
using Platform.Infrastructure.Security;

namespace Platform.IntegrationTests.Pipeline;

/// <summary>
/// A simulator that requires an API key, and feeds that authenticate with their stored, encrypted credentials
/// (<c>authentication: bearer</c>): the right key runs the feed, a wrong one fails the run with the supplier's 401.
/// </summary>
public sealed class FeedCredentialsTests(PlatformServers servers)
{
    private const string SupplierKey = "sim-key-0123456789";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_feed_with_the_right_stored_key_completes_its_run()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 300, simulatorApiToken: SupplierKey);
        await StoreCredentialsAsync(harness, SupplierKey);

        var run = await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout);

        run.Status.ShouldBe("completed");
        (await harness.QuerySingleAsync<long>("SELECT count(*) FROM diamonds WHERE feed_id = @FeedId", new { harness.FeedId })).ShouldBe(300);
    }

    [Fact]
    public async Task A_feed_with_a_wrong_stored_key_fails_its_run_with_the_suppliers_auth_error()
    {
        await using var harness = await PipelineHarness.StartAsync(servers, 300, simulatorApiToken: SupplierKey);
        await StoreCredentialsAsync(harness, "not-the-key");

        var run = await harness.WaitForRunAsync(await harness.StartRunAsync(), RunTimeout);

        run.Status.ShouldBe("failed");
        run.Error.ShouldNotBeNull().ShouldContain("401");
        run.Error.ShouldNotContain("not-the-key");
        (await harness.QuerySingleAsync<long>("SELECT count(*) FROM diamonds WHERE feed_id = @FeedId", new { harness.FeedId })).ShouldBe(0);
    }

    // As the feeds API stores them: encrypted, bound to the feed's row, and the config asks for bearer authentication.
    private static async Task StoreCredentialsAsync(PipelineHarness harness, string key)
    {
        var protector = harness.Services.GetRequiredService<SecretProtector>();
        await harness.QuerySingleAsync<int>("""
            UPDATE feeds SET credentials = @credentials, config = @config::jsonb WHERE id = @FeedId RETURNING 1
            """, new
        {
            credentials = protector.Protect(key, StoredFeedSecretResolver.Purpose(harness.FeedId)),
            config = JsonSerializer.Serialize(new { baseUrl = Feeds.Support.SimulatorServer.BaseUrl, authentication = "bearer" }),
            harness.FeedId,
        });
    }
}
