using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Ingestion.Maintenance;
using Platform.Infrastructure.Messaging;
using Platform.Infrastructure.Tenancy;

namespace Platform.IntegrationTests.Api.Support;

/// <summary>
/// Run-capacity scenarios on <see cref="TwoTenantApi"/>: organization A on a plan with many feeds (one active run per
/// feed, so capacity tests need several), the phases of its runs, and an operator key.
/// </summary>
internal static class CapacityTenant
{
    /// <summary>Puts organization A on <paramref name="plan"/> and gives it <paramref name="count"/> feeds (its own first).</summary>
    public static async Task<IReadOnlyList<Guid>> FeedsOfAAsync(this TwoTenantApi api, int count, string plan = PlanCode.Free)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE organizations SET plan = @plan WHERE id = @OrgId", new { plan, api.A.OrgId });
        var feeds = new List<Guid> { api.A.FeedId };
        for (var i = 1; i < count; i++)
        {
            var feedId = Guid.CreateVersion7();
            await connection.ExecuteAsync(
                "INSERT INTO feeds (id, org_id, name, adapter) VALUES (@feedId, @OrgId, @name, 'simulator')",
                new { feedId, api.A.OrgId, name = $"feed-{i}" });
            feeds.Add(feedId);
        }
        return feeds;
    }

    public static Task<HttpResponseMessage> StartRunAsync(this HttpClient client, Guid feedId) =>
        client.PostAsJsonAsync($"/api/v1/feeds/{feedId}/runs", new { type = "full" }, TestContext.Current.CancellationToken);

    /// <summary>Run id → phase, of every run of organization A.</summary>
    public static async Task<Dictionary<Guid, string>> PhasesOfAAsync(this TwoTenantApi api)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<(Guid Id, string Phase)>("SELECT id, phase FROM pipeline_runs WHERE org_id = @OrgId", new { api.A.OrgId }))
            .ToDictionary(r => r.Id, r => r.Phase);
    }

    /// <summary>The runs that have a scan message, with how many each has.</summary>
    public static async Task<Dictionary<string, int>> ScanMessagesAsync(this TwoTenantApi api)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<(string MessageId, int Count)>(
                "SELECT message_id, count(*)::int FROM queue_messages WHERE queue = 'ingest.scan' GROUP BY message_id"))
            .ToDictionary(r => r.MessageId, r => r.Count);
    }

    /// <summary>A platform-operator key (no organization, scope <c>platform:admin</c>).</summary>
    public static async Task<string> OperatorKeyAsync(this TwoTenantApi api)
    {
        var keys = api.Factory.Services.GetRequiredService<ApiKeyStore>();
        await using var connection = await api.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var key = await keys.CreateAsync(connection, transaction, null, "operator", [Scopes.PlatformAdmin], null, "system:test", CancellationToken.None);
        await transaction.CommitAsync();
        return key.Token;
    }

    /// <summary>The maintenance role's pass over the api's database, as the worker runs it.</summary>
    public static PipelineMaintenance Maintenance(this TwoTenantApi api) => new(
        api.Database, api.Factory.Services.GetRequiredService<IMessagePublisher>(), TimeProvider.System,
        Options.Create(new PipelineOptions()), Options.Create(new MaintenanceOptions()),
        api.Factory.Services.GetRequiredService<Platform.Infrastructure.Operations.ErrorLog.IErrorLog>(), NullLogger<PipelineMaintenance>.Instance);
}
