using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.IntegrationTests.Health;

/// <summary>
/// TestServer requests carry no remote address; this gives them <c>127.0.0.1</c>, as a probe on the same host would
/// have, so tests can exercise <c>Health:DetailNetworks</c>.
/// </summary>
internal sealed class LoopbackCaller : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
            return following(context);
        });
        next(app);
    };

    /// <summary>The api whose callers come from 127.0.0.1, and 127.0.0.0/8 as a detail network.</summary>
    public static WebApplicationFactory<Program> SeesDetail(WebApplicationFactory<Program> api) => api.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Health:DetailNetworks:0", "127.0.0.0/8");
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, LoopbackCaller>());
    });

    /// <summary>Callers from 127.0.0.1 but no detail network configured.</summary>
    public static WebApplicationFactory<Program> WithoutNetworks(WebApplicationFactory<Program> api) => api.WithWebHostBuilder(builder =>
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, LoopbackCaller>()));
}
