using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Feeds.Upstream;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// <c>POST /diamonds/{id}/hold</c> and <c>/purchase</c> against the real feed simulator: the supplier decides, the catalog
/// follows, and a purchase is bought once per Idempotency-Key whatever the retries, races and supplier failures.
/// </summary>
public sealed class ReservationsApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hold_reaches_the_supplier_marks_the_stone_on_hold_and_a_second_hold_is_refused()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        var client = api.ClientWith(api.A.AdminKey);
        var version = await api.DatasetVersionAsync(api.A);

        var response = await client.PostAsync($"/api/v1/diamonds/{stone}/hold", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var hold = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        hold.GetProperty("diamondId").GetGuid().ShouldBe(stone);
        hold.GetProperty("supplierHoldId").GetString().ShouldStartWith("HOLD-");
        hold.GetProperty("holdUntil").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(47));
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds/{stone}", Ct)).GetProperty("availability").GetString().ShouldBe("on_hold");
        (await api.DatasetVersionAsync(api.A)).ShouldBe(version + 1);
        (await api.Simulator.RequestsAsync("hold")).ShouldBe(1);

        var again = await client.PostAsync($"/api/v1/diamonds/{stone}/hold", null, Ct);
        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "DIAMOND_NOT_AVAILABLE");
        problem.GetProperty("detail").GetString().ShouldBe("The diamond is on hold.");
        (await api.Simulator.RequestsAsync("hold")).ShouldBe(1, "our catalog already knows the stone is held");
    }

    [Fact]
    public async Task A_stone_the_supplier_no_longer_offers_is_refused_and_left_as_it_was()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        (await api.Simulator.Client.PostAsJsonAsync("/api/v1/holds", new { diamondId = await api.SupplierIdAsync(stone) }, Ct)).EnsureSuccessStatusCode();

        var response = await api.ClientWith(api.A.AdminKey).PostAsync($"/api/v1/diamonds/{stone}/hold", null, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "DIAMOND_NOT_AVAILABLE");
        (await api.AvailabilityAsync(stone)).ShouldBe("available", "the next run brings the supplier's view; a refusal alone proves nothing about why");
        (await api.CountAsync("holds")).ShouldBe(0);
    }

    [Fact]
    public async Task Another_organizations_stone_is_a_404_and_never_reaches_the_supplier()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        var intruder = api.ClientWith(api.B.AdminKey);

        await (await intruder.PostAsync($"/api/v1/diamonds/{stone}/hold", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        using var purchase = Purchase(stone, "key-1");
        await (await intruder.SendAsync(purchase, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");

        (await api.Simulator.RequestsAsync("hold")).ShouldBe(0);
        (await api.Simulator.RequestsAsync("order")).ShouldBe(0);
        (await api.CountAsync("purchases")).ShouldBe(0);
    }

    [Fact]
    public async Task A_purchase_needs_an_idempotency_key_and_a_valid_body()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        var client = api.ClientWith(api.A.AdminKey);

        using var withoutKey = Purchase(stone, key: null);
        await (await client.SendAsync(withoutKey, Ct)).ShouldFailValidationOnAsync("Idempotency-Key");
        using var badKey = Purchase(stone, key: "has spaces");
        await (await client.SendAsync(badKey, Ct)).ShouldFailValidationOnAsync("Idempotency-Key");
        using var longReference = Purchase(stone, "key-2", new string('r', 101));
        await (await client.SendAsync(longReference, Ct)).ShouldFailValidationOnAsync("reference");
        (await api.Simulator.RequestsAsync("order")).ShouldBe(0);
    }

    [Fact]
    public async Task A_replay_returns_the_stored_purchase_and_a_different_body_under_the_same_key_is_422()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        var client = api.ClientWith(api.A.AdminKey);

        using var first = Purchase(stone, "order-7", "PO-7");
        var created = await client.SendAsync(first, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        created.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        var original = await created.Content.ReadAsStringAsync(Ct);
        var purchase = JsonSerializer.Deserialize<JsonElement>(original);
        purchase.GetProperty("status").GetString().ShouldBe("confirmed");
        purchase.GetProperty("reference").GetString().ShouldBe("PO-7");
        purchase.GetProperty("supplierOrderId").GetString().ShouldStartWith("ORDER-");

        using var replay = Purchase(stone, "order-7", "PO-7");
        var replayed = await client.SendAsync(replay, Ct);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Created);
        replayed.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        JsonSerializer.Deserialize<JsonElement>(await replayed.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetGuid()
            .ShouldBe(purchase.GetProperty("id").GetGuid());

        using var changed = Purchase(stone, "order-7", "PO-8");
        await (await client.SendAsync(changed, Ct)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");

        (await api.Simulator.RequestsAsync("order")).ShouldBe(1);
        (await api.AvailabilityAsync(stone)).ShouldBe("sold");
        using var secondBuyer = Purchase(stone, "order-8");
        var refused = await (await client.SendAsync(secondBuyer, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "DIAMOND_NOT_AVAILABLE");
        refused.GetProperty("detail").GetString().ShouldBe("The diamond is sold.");
        using var secondReplay = Purchase(stone, "order-8");
        var replayedRefusal = await client.SendAsync(secondReplay, Ct);
        await replayedRefusal.ShouldBeProblemAsync(HttpStatusCode.Conflict, "DIAMOND_NOT_AVAILABLE");
        replayedRefusal.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await api.Simulator.RequestsAsync("order")).ShouldBe(1, "a stone our catalog knows is sold is not offered to the supplier again");
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_buy_once()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        var client = api.ClientWith(api.A.AdminKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var request = Purchase(stone, "race-1", "PO-race");
            using var response = await client.SendAsync(request, Ct);
            return (response.StatusCode, Code: response.StatusCode == HttpStatusCode.Created
                ? null
                : (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }));

        answers.ShouldContain(answer => answer.StatusCode == HttpStatusCode.Created);
        answers.Where(answer => answer.StatusCode != HttpStatusCode.Created).ShouldAllBe(answer => answer.Code == "PURCHASE_IN_PROGRESS");
        (await api.Simulator.RequestsAsync("order")).ShouldBe(1);
        (await api.CountAsync("purchases")).ShouldBe(1);
        using var after = Purchase(stone, "race-1", "PO-race");
        (await client.SendAsync(after, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_supplier_failure_buys_nothing_is_not_retried_blindly_and_the_same_key_works_afterwards()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        var client = api.ClientWith(api.A.AdminKey);
        await api.Simulator.AddFaultAsync(new { kind = "server-error", count = 1, statusCode = 503, paths = (string[])["order"] });

        using var failing = Purchase(stone, "flaky-1");
        var failed = await client.SendAsync(failing, Ct);

        await failed.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "SUPPLIER_UNAVAILABLE");
        int.Parse(failed.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        (await api.Simulator.RequestsAsync("order")).ShouldBe(1, "a 503 may hide an order that happened, so it is not sent again");
        (await api.CountAsync("purchases")).ShouldBe(0);
        (await api.AvailabilityAsync(stone)).ShouldBe("available");

        // 429 proves the supplier did nothing: that one is retried within the same request.
        await api.Simulator.AddFaultAsync(new { kind = "rate-limit", count = 1, retryAfterSeconds = 1, paths = (string[])["order"] });
        using var retry = Purchase(stone, "flaky-1");
        var bought = await client.SendAsync(retry, Ct);
        bought.StatusCode.ShouldBe(HttpStatusCode.Created, await bought.Content.ReadAsStringAsync(Ct));
        (await api.Simulator.RequestsAsync("order")).ShouldBe(3);
    }

    [Fact]
    public async Task The_holdDiamond_mutation_uses_the_same_service_codes_and_scope()
    {
        await using var api = await ReservationApi.StartAsync(servers);
        var stone = await api.SeedAvailableStoneAsync(api.A);
        const string Mutation = "mutation($id: ID!) { holdDiamond(id: $id) { id diamondId supplierHoldId holdUntil } }";

        var readerOnly = await GraphQl.GraphQlClient.PostAsync(api.ClientWith(api.A.ReaderKey), Mutation, new { id = stone });
        readerOnly.Codes.ShouldBe(["FORBIDDEN"]);
        var held = await GraphQl.GraphQlClient.PostAsync(api.ClientWith(api.A.AdminKey), Mutation, new { id = stone });
        held.Data.GetProperty("holdDiamond").GetProperty("supplierHoldId").GetString().ShouldStartWith("HOLD-");
        var again = await GraphQl.GraphQlClient.PostAsync(api.ClientWith(api.A.AdminKey), Mutation, new { id = stone });
        again.Codes.ShouldBe(["DIAMOND_NOT_AVAILABLE"]);
        var foreign = await GraphQl.GraphQlClient.PostAsync(api.ClientWith(api.B.AdminKey), Mutation, new { id = stone });
        foreign.Codes.ShouldBe(["NOT_FOUND"]);
        (await api.Simulator.RequestsAsync("hold")).ShouldBe(1);
    }

    private static HttpRequestMessage Purchase(Guid stone, string? key, string? reference = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/diamonds/{stone}/purchase")
        {
            Content = JsonContent.Create(new { reference }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return request;
    }

    /// <summary>The api in-process with its supplier calls routed to an in-process simulator, and two tenants whose feeds point at it.</summary>
    private sealed class ReservationApi : IAsyncDisposable
    {
        private readonly ApiFactory factory;
        private readonly WebApplicationFactory<Program> host;
        private int nextIndex;

        private ReservationApi(ApiFactory factory, WebApplicationFactory<Program> host, SimulatorServer simulator, TestTenant a, TestTenant b)
        {
            this.factory = factory;
            this.host = host;
            Simulator = simulator;
            A = a;
            B = b;
        }

        public SimulatorServer Simulator { get; }

        public TestTenant A { get; }

        public TestTenant B { get; }

        private NpgsqlDataSource Database => host.Services.GetRequiredService<NpgsqlDataSource>();

        public static async Task<ReservationApi> StartAsync(PlatformServers servers)
        {
            var database = await servers.CreateDatabaseAsync();
            var simulator = SimulatorServer.Start();
            var factory = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString);
            var host = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
                services.AddHttpClient(UpstreamHttp.ClientName).ConfigurePrimaryHttpMessageHandler(simulator.CreateHandler)));
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            var keys = host.Services.GetRequiredService<ApiKeyStore>();
            var a = await TestTenant.CreateAsync(dataSource, keys, "org-a");
            var b = await TestTenant.CreateAsync(dataSource, keys, "org-b");
            await using var connection = await dataSource.OpenConnectionAsync();
            // No rate limit on the supplier: these tests count calls, not wait for slots.
            await connection.ExecuteAsync(
                "UPDATE feeds SET config = jsonb_build_object('baseUrl', @baseUrl::text), upstream_rps = 1000", new { baseUrl = SimulatorServer.BaseUrl });
            return new ReservationApi(factory, host, simulator, a, b);
        }

        public HttpClient ClientWith(string key)
        {
            var client = host.CreateClient();
            client.DefaultRequestHeaders.Add("X-API-Key", key);
            return client;
        }

        /// <summary>A catalog stone of <paramref name="tenant"/> standing for a simulator stone that the simulator reports available.</summary>
        public async Task<Guid> SeedAvailableStoneAsync(TestTenant tenant)
        {
            while (true)
            {
                var supplierId = $"SIM-42-{nextIndex++:D7}";
                var stone = await Simulator.Client.GetFromJsonAsync<JsonElement>($"/api/v1/diamonds/{supplierId}", Ct);
                if (stone.GetProperty("availability").GetString() != "AVAILABLE")
                {
                    continue;
                }
                var seed = new SeedStone();
                await CatalogSeed.InsertAsync(Database, tenant, [seed]);
                await using var connection = await Database.OpenConnectionAsync(Ct);
                await connection.ExecuteAsync("UPDATE diamonds SET supplier_stone_id = @supplierId WHERE id = @Id", new { supplierId, seed.Id });
                return seed.Id;
            }
        }

        public async Task<string> SupplierIdAsync(Guid diamond)
        {
            await using var connection = await Database.OpenConnectionAsync(Ct);
            return await connection.ExecuteScalarAsync<string>("SELECT supplier_stone_id FROM diamonds WHERE id = @diamond", new { diamond }) ?? "";
        }

        public async Task<string> AvailabilityAsync(Guid diamond)
        {
            await using var connection = await Database.OpenConnectionAsync(Ct);
            return await connection.ExecuteScalarAsync<string>("SELECT availability FROM diamonds WHERE id = @diamond", new { diamond }) ?? "";
        }

        public async Task<long> DatasetVersionAsync(TestTenant tenant)
        {
            await using var connection = await Database.OpenConnectionAsync(Ct);
            return await connection.ExecuteScalarAsync<long?>(
                "SELECT version FROM dataset_versions WHERE org_id = @OrgId AND feed_id = @FeedId", new { tenant.OrgId, tenant.FeedId }) ?? 0;
        }

        public async Task<long> CountAsync(string table)
        {
            await using var connection = await Database.OpenConnectionAsync(Ct);
            return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        }

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            await factory.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }
}
