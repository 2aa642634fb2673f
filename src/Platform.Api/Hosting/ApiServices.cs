using Platform.Api.ApiReference;
using Platform.Api.Apis.Diamonds;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Api.Security;
using Platform.Infrastructure.Alerting;
using Platform.Infrastructure.Catalog;
using Platform.Infrastructure.Database;
using Platform.Infrastructure.Ingestion;

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
        builder.Services.AddCursorSigning();
        builder.Services.AddAlertingCore();
        builder.Services.AddHostedService<MigrateOnStartup>();

        builder.Services.AddPlatformErrors();
        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddPlatformAdminPolicy();
        builder.Services.AddApiSecurity();
        builder.Services.AddApiReference();
        builder.Services.AddApiRateLimits(builder.Configuration);
        return builder;
    }
}
