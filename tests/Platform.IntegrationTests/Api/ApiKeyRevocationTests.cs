using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// The key cache across replicas (ADR 0023): revocations reach other api instances through Redis within seconds even
/// with a long cache lifetime; without Redis the short fallback lifetime bounds a missed revocation; last_used_at is
/// written in batches and on shutdown.
/// </summary>
public sealed class ApiKeyRevocationTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Long enough that only the revocation channel can explain a key being dropped within the test.</summary>
    private static readonly Dictionary<string, string?> LongCache = new() { ["ApiKeys:CacheSeconds"] = "300" };

    [Fact]
    public async Task A_key_revoked_on_one_instance_is_rejected_by_another_within_seconds()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var first = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, LongCache);
        await using var second = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, LongCache);
        var tenant = await TestTenant.CreateAsync(first.Services.GetRequiredService<NpgsqlDataSource>(), first.Services.GetRequiredService<ApiKeyStore>(), "org-a");
        using var admin = first.CreateClient();
        admin.DefaultRequestHeaders.Add("X-API-Key", tenant.AdminKey);
        var created = await ApiKeyCalls.CreateAsync(admin, "shared", ["catalog:read"]);
        var token = created.GetProperty("key").GetString()!;
        // The second instance caches the key (and has subscribed: its cache starts empty when it does).
        await Eventually.TrueAsync(async () => await ApiKeyCalls.StatusWithAsync(second, token) == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the second instance accepts the key");
        await WaitUntilListeningAsync(second);
        (await ApiKeyCalls.StatusWithAsync(second, token)).ShouldBe(HttpStatusCode.OK);

        var clock = Stopwatch.StartNew();
        await ApiKeyCalls.RevokeAsync(admin, created.GetProperty("id").GetGuid());
        await Eventually.TrueAsync(async () => await ApiKeyCalls.StatusWithAsync(second, token) == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5), "the revocation reaches the other instance over Redis, although its cache would keep the key 300 s");

        TestContext.Current.SendDiagnosticMessage($"revocation seen by the second instance after {clock.ElapsedMilliseconds} ms");
        (await ApiKeyCalls.StatusWithAsync(first, token)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task While_redis_listens_a_key_revoked_behind_the_apis_back_stays_cached_but_without_redis_it_drops_after_the_fallback_lifetime()
    {
        var database = await servers.CreateDatabaseAsync();
        var closedPort = $"127.0.0.1:{FreePort.Next()},connectTimeout=500";
        var fallback = new Dictionary<string, string?>(LongCache) { ["ApiKeys:FallbackCacheSeconds"] = "1" };
        await using var listening = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, fallback);
        await using var deaf = new ApiFactory(database.ConnectionString, closedPort, fallback);
        var tenant = await TestTenant.CreateAsync(listening.Services.GetRequiredService<NpgsqlDataSource>(), listening.Services.GetRequiredService<ApiKeyStore>(), "org-a");
        await WaitUntilListeningAsync(listening);
        (await ApiKeyCalls.StatusWithAsync(listening, tenant.ReaderKey)).ShouldBe(HttpStatusCode.OK);
        (await ApiKeyCalls.StatusWithAsync(deaf, tenant.ReaderKey)).ShouldBe(HttpStatusCode.OK);

        // Revoked in the database only (as seed-demo --new-key does): no message on the channel.
        await using (var connection = await listening.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE name = 'reader'");
        }

        await Eventually.TrueAsync(async () => await ApiKeyCalls.StatusWithAsync(deaf, tenant.ReaderKey) == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5), "without Redis the cache keeps a key only ApiKeys:FallbackCacheSeconds");
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        (await ApiKeyCalls.StatusWithAsync(listening, tenant.ReaderKey)).ShouldBe(HttpStatusCode.OK,
            "with the channel subscribed the cache serves the key for ApiKeys:CacheSeconds, so the fallback above is what dropped it");
    }

    [Fact]
    public async Task Last_used_at_is_written_in_batches_without_a_write_per_request()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, new Dictionary<string, string?> { ["ApiKeys:UsageFlushSeconds"] = "1" });
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        var tenant = await TestTenant.CreateAsync(dataSource, api.Services.GetRequiredService<ApiKeyStore>(), "org-a");
        var before = DateTimeOffset.UtcNow;

        for (var i = 0; i < 5; i++)
        {
            (await ApiKeyCalls.StatusWithAsync(api, tenant.ReaderKey)).ShouldBe(HttpStatusCode.OK);
        }

        await Eventually.TrueAsync(async () => await LastUsedAsync(dataSource, "reader") is not null, TimeSpan.FromSeconds(10), "the flush writes last_used_at");
        (await LastUsedAsync(dataSource, "reader"))!.Value.ShouldBeGreaterThanOrEqualTo(before.UtcDateTime.AddSeconds(-1));
        (await LastUsedAsync(dataSource, "admin")).ShouldBeNull("a key that was not used keeps last_used_at empty");
    }

    [Fact]
    public async Task Last_used_at_collected_before_shutdown_is_written_on_shutdown()
    {
        var database = await servers.CreateDatabaseAsync();
        var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, new Dictionary<string, string?> { ["ApiKeys:UsageFlushSeconds"] = "3600" });
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var tenant = await TestTenant.CreateAsync(api.Services.GetRequiredService<NpgsqlDataSource>(), api.Services.GetRequiredService<ApiKeyStore>(), "org-a");
        (await ApiKeyCalls.StatusWithAsync(api, tenant.ReaderKey)).ShouldBe(HttpStatusCode.OK);
        (await LastUsedAsync(dataSource, "reader")).ShouldBeNull("nothing is written per request");

        await api.DisposeAsync();

        (await LastUsedAsync(dataSource, "reader")).ShouldNotBeNull();
    }

    private static async Task<DateTime?> LastUsedAsync(NpgsqlDataSource dataSource, string name)
    {
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<DateTime?>("SELECT last_used_at FROM api_keys WHERE name = @name", new { name });
    }

    private static Task WaitUntilListeningAsync(ApiFactory api) =>
        Eventually.TrueAsync(() => Task.FromResult(api.Services.GetRequiredService<Platform.Api.Authentication.ApiKeyCache>().ChannelListening),
            TimeSpan.FromSeconds(10), "the instance subscribes to the revocation channel");
}
