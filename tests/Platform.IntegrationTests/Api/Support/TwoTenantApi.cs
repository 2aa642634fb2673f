using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Tenancy;

namespace Platform.IntegrationTests.Api.Support;

/// <summary>The api in-process over a fresh database holding two organizations, A and B. No worker runs.</summary>
public sealed class TwoTenantApi : IAsyncDisposable
{
    private TwoTenantApi(ApiFactory factory, TestTenant a, TestTenant b)
    {
        Factory = factory;
        A = a;
        B = b;
    }

    public ApiFactory Factory { get; }

    public TestTenant A { get; }

    public TestTenant B { get; }

    public NpgsqlDataSource Database => Factory.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>Starts the api; <paramref name="settings"/> override its configuration, e.g. <c>Cors:AllowedOrigins:0</c>.</summary>
    public static async Task<TwoTenantApi> StartAsync(PlatformServers servers, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await servers.CreateDatabaseAsync();
        var factory = new ApiFactory(database.ConnectionString, servers.Redis.ConnectionString, settings);
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        var keys = factory.Services.GetRequiredService<ApiKeyStore>();
        var a = await TestTenant.CreateAsync(dataSource, keys, "org-a");
        var b = await TestTenant.CreateAsync(dataSource, keys, "org-b");
        return new TwoTenantApi(factory, a, b);
    }

    /// <summary>A client that sends <paramref name="key"/> in <c>X-API-Key</c>.</summary>
    public HttpClient ClientWith(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
