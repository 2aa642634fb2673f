using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Api.Authentication;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Hosting;

/// <summary>
/// One-shot commands of the api binary: <c>migrate</c> applies migrations; <c>seed-demo [--new-key]</c> also
/// creates the demo organization, feed and key; <c>keys issue-platform-admin --name NAME [--expires-days N]</c> issues
/// an operator key (scope <c>platform:admin</c>, no organization). Output is <c>KEY=value</c> lines so scripts can read it.
/// </summary>
public static class ApiCommands
{
    public delegate Task<int> Command(IServiceProvider services, string[] args, TextWriter output);

    /// <summary>Runs a command in a small host of its own: it needs Postgres only, not Redis or telemetry.</summary>
    public static async Task<int> RunAsync(Command command, string[] args, TextWriter output)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddNpgsqlDataSource("platformdb");
        builder.Services.AddPlatformInfrastructure();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        using var host = builder.Build();
        return await command(host.Services, args, output);
    }

    public static Command? Find(string[] args) => args.FirstOrDefault() switch
    {
        "migrate" => MigrateAsync,
        "seed-demo" => SeedDemoAsync,
        "keys" when args.ElementAtOrDefault(1) == "issue-platform-admin" => IssuePlatformAdminKeyAsync,
        _ => null,
    };

    private static async Task<int> MigrateAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var report = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        foreach (var applied in report.Applied)
        {
            await output.WriteLineAsync($"APPLIED={applied}");
        }
        await output.WriteLineAsync($"SCHEMA_VERSION={report.SchemaVersion}");
        return 0;
    }

    /// <summary>
    /// The only way to get a <c>platform:admin</c> key: the API cannot grant that scope, so the operator issues one with
    /// database access (a deployment step or a shell in the api container). Audited as <c>api_key.created</c> by <c>system:cli</c>.
    /// </summary>
    private static async Task<int> IssuePlatformAdminKeyAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var name = Option(args, "--name");
        var expiresDays = Option(args, "--expires-days");
        if (name is not { Length: >= 1 and <= ApiKeyLimits.MaxNameLength }
            || expiresDays is not null && (!int.TryParse(expiresDays, out var days) || days is < 1 or > 3650))
        {
            await Console.Error.WriteLineAsync(
                $"usage: keys issue-platform-admin --name <1–{ApiKeyLimits.MaxNameLength} characters> [--expires-days <1–3650>]");
            return 2;
        }
        var time = services.GetRequiredService<TimeProvider>();
        DateTimeOffset? expiresAt = expiresDays is null ? null : time.GetUtcNow().AddDays(int.Parse(expiresDays, System.Globalization.CultureInfo.InvariantCulture));
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var key = await services.GetRequiredService<ApiKeyStore>().CreateAsync(
            connection, transaction, orgId: null, name, [Platform.Domain.Tenancy.Scopes.PlatformAdmin], expiresAt, "system:cli", CancellationToken.None);
        await AuditLog.WriteAsync(connection, transaction, new AuditEntry(
            null, "system:cli", "api_key.created", "api_key", key.Id.ToString(),
            After: new { key.Id, name, key.Prefix, key.LastFour, scopes = new[] { Platform.Domain.Tenancy.Scopes.PlatformAdmin }, expiresAt }), CancellationToken.None);
        await transaction.CommitAsync();
        await output.WriteLineAsync($"KEY_ID={key.Id}");
        await output.WriteLineAsync($"API_KEY={key.Token}");
        return 0;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static async Task<int> SeedDemoAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        await MigrateAsync(services, args, output);
        var options = services.GetRequiredService<IOptions<DemoOptions>>().Value;
        var configuration = services.GetRequiredService<IConfiguration>();
        var feedUrl = options.FeedUrl ?? configuration["services:feedsim:http:0"];
        if (string.IsNullOrWhiteSpace(feedUrl) || !Uri.TryCreate(feedUrl, UriKind.Absolute, out _))
        {
            await Console.Error.WriteLineAsync(
                "seed-demo needs the feed simulator's URL: set 'Demo:FeedUrl' or 'services:feedsim:http:0' to an absolute URL.");
            return 2;
        }
        var result = await services.GetRequiredService<DemoSeeder>().SeedAsync(options, feedUrl, args.Contains("--new-key"), CancellationToken.None);
        await output.WriteLineAsync($"DEMO_ORG_ID={result.OrgId}");
        await output.WriteLineAsync($"DEMO_FEED_ID={result.FeedId}");
        if (result.NewKey is { } key)
        {
            await output.WriteLineAsync($"API_KEY={key.Token}");
        }
        return 0;
    }
}
