using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>An unexpected exception answers a generic 500 problem with a trace id: no message, type or stack trace.</summary>
public sealed class InternalErrorTests(PlatformServers servers)
{
    private const string Secret = "Password=hunter2;Host=db.internal";

    [Fact]
    public async Task An_unhandled_exception_is_a_generic_500_problem_without_internals()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        // /api/v1/status asks the health check service; a failing one stands in for any fault inside a handler.
        await using var failing = api.Factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<HealthCheckService, FailingHealthChecks>()));

        var response = await failing.CreateClient().GetAsync("/api/v1/status", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        var body = problem.GetRawText();
        body.ShouldNotContain("hunter2");
        body.ShouldNotContain(nameof(InvalidOperationException));
        body.ShouldNotContain(nameof(FailingHealthChecks));
        body.ShouldNotContain(" at ");
        if (problem.TryGetProperty("detail", out var detail))
        {
            detail.ValueKind.ShouldBe(JsonValueKind.Null);
        }
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }

    private sealed class FailingHealthChecks : HealthCheckService
    {
        public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Could not connect: " + Secret);
    }
}
