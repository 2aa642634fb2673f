using Microsoft.Extensions.DependencyInjection;
using Platform.FeedSimulator.Holds;

namespace Platform.FeedSimulator.Tests.Support;

/// <summary>A started simulator with a client and the few calls most specifications need.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    public const int DefaultSize = 10_000;

    private readonly SimulatorFactory factory;

    private SimulatorHost(SimulatorFactory factory)
    {
        this.factory = factory;
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => factory.Services;

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static SimulatorHost Start(
        int size = DefaultSize, int seed = 42, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Simulator:Size"] = size.ToString(CultureInfo.InvariantCulture),
            ["Simulator:Seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new SimulatorHost(new SimulatorFactory(all, time));
    }

    public async Task<int> CountAsync(string query = "")
    {
        var response = await Client.GetAsync($"/api/v1/diamonds/count?{query}", Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<DiamondCount>(Cancellation))!.Count;
    }

    public async Task<DiamondPage> SearchAsync(string query)
    {
        var response = await Client.GetAsync($"/api/v1/diamonds?{query}", Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancellation));
        return (await response.Content.ReadFromJsonAsync<DiamondPage>(Cancellation))!;
    }

    /// <summary>Pages through a filter the way a pipeline worker does, until a short page.</summary>
    public async Task<List<Stone>> SearchAllAsync(string filter, int limit = 50)
    {
        var stones = new List<Stone>();
        while (true)
        {
            var page = await SearchAsync($"{filter}&offset={stones.Count}&limit={limit}");
            stones.AddRange(page.Items);
            if (page.Items.Count < limit)
            {
                return stones;
            }
        }
    }

    public async Task<Stone> GetStoneAsync(string id)
    {
        var response = await Client.GetAsync($"/api/v1/diamonds/{id}", Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<Stone>(Cancellation))!;
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body, Cancellation);

    /// <summary>Every stone as the API would show it, for brute-force reference answers.</summary>
    public IReadOnlyList<Stone> AllStones()
    {
        var snapshot = Services.GetRequiredService<CatalogueStore>().Current;
        var reservations = Services.GetRequiredService<StoneReservations>();
        return [.. Enumerable.Range(0, snapshot.Size).Select(index => StoneProjection.ToStone(snapshot, index, reservations))];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
    }
}
