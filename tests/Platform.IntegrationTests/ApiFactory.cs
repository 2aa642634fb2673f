using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.IntegrationTests;

/// <summary>
/// The api in-process over a private database and the given Redis; extra settings override configuration. Every factory
/// counts rate limits under its own Redis prefix with generous limits (organization plan rates off), so tests sharing one
/// Redis never limit each other; rate-limit tests set <c>RateLimits:*</c> themselves. The catalog cache is off: tests seed
/// the catalog tables directly, which bumps no dataset version; cache tests turn it on (<c>Catalog:Cache:Enabled</c>).
/// </summary>
public sealed class ApiFactory(string databaseConnectionString, string redisConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string DatabaseConnectionString => databaseConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:platformdb", databaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", redisConnectionString);
        builder.UseSetting("RateLimits:KeyPrefix", $"test-{Guid.NewGuid():N}:");
        builder.UseSetting("Catalog:Cache:Enabled", "false");
        foreach (var policy in (string[])["Public", "CatalogRead", "CatalogWrite", "Admin"])
        {
            builder.UseSetting($"RateLimits:{policy}:PermitLimit", "100000");
        }
        builder.UseSetting("RateLimits:OrganizationRates", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
