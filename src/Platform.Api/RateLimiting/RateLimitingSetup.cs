using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Api.Authentication;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.RateLimiting;

/// <summary>ASP.NET Core rate limiting with the Redis sliding window, the four named policies and the 429 answer.</summary>
public static class RateLimitingSetup
{
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisSlidingWindow>();
        services.AddSingleton<RateLimitFallbackState>();
        services.AddSingleton<OrganizationRates>();
        services.AddSingleton<PolicyPermits>();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            RateLimitHealthCheck.Name,
            sp => ActivatorUtilities.CreateInstance<RateLimitHealthCheck>(sp),
            failureStatus: HealthStatus.Degraded,
            tags: ["ready"]));

        services.AddRateLimiter(options =>
        {
            // The framework's default is 503, which tells a client the server is broken rather than that it is too fast.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, _) => RateLimitHeaders.WriteRejectionAsync(rejected.HttpContext);
            foreach (var policy in RateLimitPolicies.All)
            {
                options.AddPolicy(policy, context => Partition(context, policy));
            }
        });
        services.ConfigureForwardedHeaders(configuration);
        return services;
    }

    /// <summary>After authentication, so per-key policies see the key; before authorization, so refused keys count too.</summary>
    public static WebApplication UseApiRateLimits(this WebApplication app)
    {
        app.UseRateLimitHeaders();
        OrganizationRates.UseOrganizationRates(app);
        app.UseRateLimiter();
        return app;
    }

    internal static RateLimitPartition<string> Partition(HttpContext context, string policy)
    {
        // Keyed policies count per API key; a request without a valid key is counted by its IP, so floods of bad keys are limited too.
        var keyId = policy != RateLimitPolicies.Public ? context.User.FindFirstValue(PlatformClaims.KeyId) : null;
        var partition = keyId is not null ? "key:" + keyId : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var limits = keyId is null ? options.For(policy) : options.ForKey(policy, context.Features.Get<OrganizationRate>());
        // The limit is part of the partition, so a changed organization rate gets a limiter with the new limit; the Redis key
        // is not, so the requests already counted in the window still count.
        return RateLimitPartition.Get($"{partition}|{limits.PermitLimit}", _ =>
            new DistributedSlidingWindowLimiter(policy, $"{options.KeyPrefix}{policy}:{partition}", limits,
                TimeSpan.FromMilliseconds(options.RedisTimeoutMilliseconds), services.GetRequiredService<RedisSlidingWindow>(),
                services.GetRequiredService<RateLimitFallbackState>(), services.GetRequiredService<IHttpContextAccessor>(),
                services.GetRequiredService<TimeProvider>()));
    }

    /// <summary>
    /// X-Forwarded-For / -Proto are believed only from the proxies listed under <c>ForwardedHeaders:KnownProxies</c> (addresses)
    /// and <c>ForwardedHeaders:KnownNetworks</c> (CIDR). None by default: otherwise any client could pick the IP it is limited by.
    /// </summary>
    private static void ConfigureForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ForwardedHeadersSection);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only what is configured counts here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                forwarded.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies entry '{proxy}' is not an IP address."));
            }
            foreach (var network in networks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks entry '{network}' is not a CIDR network such as 10.0.0.0/8."));
            }
        });
    }
}
