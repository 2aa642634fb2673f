using Platform.Api.ApiReference;
using Platform.Api.Apis.Diamonds;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Infrastructure.Alerting;
using Platform.Infrastructure.Catalog;
using Platform.Infrastructure.Database;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Ingestion;
using Platform.Infrastructure.Operations;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.ServiceDefaults.Health;
using Platform.ServiceDefaults.Logging;

namespace Platform.Api.Hosting;

public static class ApiServices
{
    public static WebApplicationBuilder AddApiServices(this WebApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("platformdb");
        builder.AddRedisClient("cache");
        builder.Services.AddPlatformInfrastructure();
        builder.Services.AddIngestionCore();
        builder.Services.AddCatalogReads();
        builder.Services.AddReservations();
        builder.Services.AddAdminViews();
        builder.Services.AddCursorSigning();
        builder.Services.AddSingleton<Apis.Feeds.FeedValidation>();
        builder.Services.AddAlertingCore();
        builder.Services.AddHostedService<MigrateOnStartup>();

        builder.Services.AddPlatformErrors();
        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddPlatformAdminPolicy();
        builder.Services.AddSingleton<ErrorTextRedactor>(SecretRedactor.Redact);
        // /health/ready shows its component detail to operator keys (and to Health:DetailNetworks), not to anonymous callers.
        builder.Services.Configure<HealthDetailOptions>(options =>
            options.IsOperator = user => user.HasClaim(PlatformClaims.Scope, Scopes.PlatformAdmin));
        builder.Services.AddSingleton<Apis.StatusSummary>();
        builder.Services.AddApiSecurity();
        builder.Services.AddApiReference();
        builder.Services.AddApiRateLimits(builder.Configuration);
        return builder;
    }
}
