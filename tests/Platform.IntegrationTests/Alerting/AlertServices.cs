using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Infrastructure.Alerting;
using Platform.Infrastructure.Database;

namespace Platform.IntegrationTests.Alerting;

/// <summary>Alerting's stores and evaluator over a test database, registered as the worker host registers them.</summary>
internal static class AlertServices
{
    public static ServiceProvider Build(string connectionString)
    {
        var services = new ServiceCollection();
        // Channel secrets are encrypted at rest: the store needs the test run's key (the worker processes inherit it).
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Secrets:EncryptionKey"] = TestSecrets.EncryptionKey, ["Secrets:KeyId"] = TestSecrets.KeyId,
        }).Build());
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddAlertMonitoring();
        DapperConventions.Apply();
        return services.BuildServiceProvider();
    }
}
