extern alias simulator;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SimulatorEntryPoint = simulator::Platform.FeedSimulator.Catalogue.CatalogueOptions;

namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>
/// The real feed simulator in-process (TestServer), small and deterministic, with its admin API for faults and
/// request statistics. Upstream HTTP of the code under test is routed to it through <see cref="CreateHandler"/>.
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    public const string BaseUrl = "http://simulator.test/";

    private readonly Factory factory;

    private SimulatorServer(Factory factory)
    {
        this.factory = factory;
        Client = factory.CreateClient();
    }

    /// <summary>A client straight to the simulator, for reference answers and the admin API.</summary>
    public HttpClient Client { get; }

    public static SimulatorServer Start(int size = 2_000, string? apiToken = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Simulator:Size"] = size.ToString(CultureInfo.InvariantCulture),
            ["Simulator:Seed"] = "42",
            ["Simulator:ApiToken"] = apiToken,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        return new SimulatorServer(new Factory(settings));
    }

    public HttpMessageHandler CreateHandler() => factory.Server.CreateHandler();

    public async Task AddFaultAsync(object rule)
    {
        var response = await Client.PostAsJsonAsync("/admin/faults", rule);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public async Task ClearFaultsAsync() => (await Client.DeleteAsync("/admin/faults")).EnsureSuccessStatusCode();

    /// <summary>How many calls the supplier endpoint (<c>count</c>, <c>search</c>) has received, whatever their outcome.</summary>
    public async Task<long> RequestsAsync(string endpoint)
    {
        using var stats = JsonDocument.Parse(await Client.GetStringAsync("/admin/stats"));
        return stats.RootElement.GetProperty("requests").TryGetProperty(endpoint, out var outcomes)
            ? outcomes.EnumerateObject().Sum(outcome => outcome.Value.GetInt64())
            : 0;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<SimulatorEntryPoint>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
