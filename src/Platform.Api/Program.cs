using Platform.Api.ApiReference;
using Platform.Api.Apis;
using Platform.Api.Apis.Admin;
using Platform.Api.Apis.Alerts;
using Platform.Api.Apis.Analytics;
using Platform.Api.Apis.ApiKeys;
using Platform.Api.Apis.AuditLog;
using Platform.Api.Apis.Diamonds;
using Platform.Api.Apis.Exports;
using Platform.Api.Apis.Feeds;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.GraphQl;
using Platform.Api.Hosting;
using Platform.Api.RateLimiting;
using Platform.Api.Security;

if (ApiCommands.Find(args) is { } command)
{
    return await ApiCommands.RunAsync(command, args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiServices();
builder.AddGraphQlApi();

var app = builder.Build();

app.UseApiTransportAndHeaders();
app.UseErrorLog();
app.UsePlatformErrors();
app.UseApiRequestGuards();
app.UseAuthentication();
app.UseCallerLogScope();
app.UseApiRateLimits();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapApiReference();
app.MapStatusApi();
app.MapOrganizationApi();
app.MapOrganizationLimitsApi();
app.MapErrorLogApi();
app.MapQueuesApi();
app.MapStatsApi();
app.MapRunsApi();
app.MapFeedsApi();
app.MapPricingRulesApi();
app.MapDiamondsApi();
app.MapReservationsApi();
app.MapExportsApi();
app.MapAnalyticsApi();
app.MapApiKeysApi();
app.MapAuditLogApi();
app.MapAlertsApi();
app.MapGraphQlApi();

await app.RunAsync();
return 0;

/// <summary>The api's entry point, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
