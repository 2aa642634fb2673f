using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;

namespace Platform.IntegrationTests.Tenancy;

public sealed class DemoSeedAndApiKeyTests(PlatformServers servers)
{
    [Fact]
    public async Task Seeded_demo_key_authenticates_and_shows_its_organization()
    {
        var (api, seed) = await StartSeededAsync();
        await using var _ = api;
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", seed.NewKey!.Token);

        var response = await client.GetAsync("/api/v1/organization");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("slug").GetString().ShouldBe("demo");
        body.GetProperty("plan").GetString().ShouldBe("pro");
        body.GetProperty("limits").GetProperty("runningCapacity").GetInt32().ShouldBe(5);
        body.GetProperty("key").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(Scopes.Organization);
    }

    [Fact]
    public async Task Bearer_authorization_is_accepted_too()
    {
        var (api, seed) = await StartSeededAsync();
        await using var _ = api;
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", seed.NewKey!.Token);

        (await client.GetAsync("/api/v1/organization")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Seeding_twice_keeps_one_organization_one_feed_and_the_first_key()
    {
        var (api, first) = await StartSeededAsync();
        await using var _ = api;

        var second = await SeedAsync(api, newKey: false);

        second.OrgId.ShouldBe(first.OrgId);
        second.FeedId.ShouldBe(first.FeedId);
        second.NewKey.ShouldBeNull();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", first.NewKey!.Token);
        (await client.GetAsync("/api/v1/organization")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_new_demo_key_revokes_the_old_one()
    {
        var (api, first) = await StartSeededAsync();
        await using var _ = api;

        var second = await SeedAsync(api, newKey: true);

        (await GetOrganizationAsync(api, first.NewKey!.Token)).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetOrganizationAsync(api, second.NewKey!.Token)).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    [InlineData("plat_000000000000000000000000000000000000000")]
    public async Task Missing_malformed_and_unknown_keys_get_the_same_401_problem(string? key)
    {
        var (api, _) = await StartSeededAsync();
        await using var __ = api;
        var client = api.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }

        var response = await client.GetAsync("/api/v1/organization");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("UNAUTHORIZED");
        problem.GetProperty("hint").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_well_formed_key_that_was_never_issued_is_unauthorized()
    {
        var (api, _) = await StartSeededAsync();
        await using var __ = api;

        (await GetOrganizationAsync(api, ApiKeyToken.Generate())).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_creation_is_audited_without_the_secret()
    {
        var (api, seed) = await StartSeededAsync();
        await using var _ = api;
        await using var connection = await api.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();

        var after = await connection.QuerySingleAsync<string>(
            "SELECT after::text FROM audit_log WHERE action = 'api_key.created' AND target_id = @id", new { id = seed.NewKey!.Id.ToString() });

        after.ShouldContain(seed.NewKey.LastFour);
        after.ShouldNotContain(seed.NewKey.Token);
        var stored = await connection.QuerySingleAsync<byte[]>("SELECT key_hash FROM api_keys WHERE id = @Id", new { seed.NewKey.Id });
        stored.ShouldBe(ApiKeyToken.Hash(seed.NewKey.Token));
    }

    [Fact]
    public async Task Unknown_routes_answer_a_problem_with_a_code()
    {
        var database = await servers.CreateDatabaseAsync();
        await using var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString);

        var response = await api.CreateClient().GetAsync("/api/v1/no-such-thing");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("ROUTE_NOT_FOUND");
    }

    private async Task<(ApiFactory Api, DemoSeedResult Seed)> StartSeededAsync()
    {
        var database = await servers.CreateDatabaseAsync();
        var api = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString);
        return (api, await SeedAsync(api, newKey: false));
    }

    private static Task<DemoSeedResult> SeedAsync(ApiFactory api, bool newKey)
    {
        var options = api.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        return api.Services.GetRequiredService<DemoSeeder>().SeedAsync(options, "http://127.0.0.1:5090", newKey, CancellationToken.None);
    }

    private static async Task<HttpStatusCode> GetOrganizationAsync(ApiFactory api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return (await client.GetAsync("/api/v1/organization")).StatusCode;
    }
}
