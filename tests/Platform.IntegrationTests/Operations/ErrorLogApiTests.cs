using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Operations.ErrorLog;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Operations;

/// <summary>The error log: written by api 500s, listed with filters and cursors, trended by hour, pruned after the retention.</summary>
public sealed class ErrorLogApiTests(PlatformServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_api_500_is_recorded_with_route_trace_id_and_organization_but_without_secrets()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var operatorKey = await api.OperatorKeyAsync();
        // /api/v1/status asks the health check service; a failing one stands in for any fault inside a handler.
        await using var failing = api.Factory.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<HealthCheckService, FailingHealthChecks>()));
        var client = failing.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", api.A.ReaderKey);

        var response = await client.GetAsync("/api/v1/status", Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        await failing.Services.GetRequiredService<ErrorLogWriter>().FlushAsync(Ct);

        var page = await api.ClientWith(operatorKey).GetFromJsonAsync<JsonElement>("/api/v1/admin/errors?category=api", Ct);
        var entry = page.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("service").GetString().ShouldBe("api");
        entry.GetProperty("code").GetString().ShouldBe("INTERNAL_ERROR");
        entry.GetProperty("message").GetString()!.ShouldStartWith("InvalidOperationException: Could not connect");
        entry.GetProperty("message").GetString()!.ShouldNotContain("hunter2");
        entry.GetProperty("traceId").GetString().ShouldBe(problem.GetProperty("traceId").GetString());
        entry.GetProperty("organizationId").GetGuid().ShouldBe(api.A.OrgId);
        entry.GetProperty("context").GetProperty("route").GetString().ShouldBe("/api/v1/status");
        entry.GetProperty("context").GetProperty("status").GetInt32().ShouldBe(500);
        entry.GetProperty("fingerprint").GetString()!.Length.ShouldBe(32);
    }

    [Fact]
    public async Task The_list_filters_and_pages_with_a_cursor_bound_to_its_filters()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(await api.OperatorKeyAsync());
        var now = DateTimeOffset.UtcNow;
        await ErrorRows.InsertAsync(api.Database, Enumerable.Range(0, 5).Select(i => now.AddMinutes(-i)));
        await ErrorRows.InsertAsync(api.Database, [now], service: "api", category: ErrorCategories.Api, code: "INTERNAL_ERROR", message: "boom");

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/admin/errors?category=page&limit=2", Ct);
        var ids = first.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v1/admin/errors?category=page&limit=2&cursor={Uri.EscapeDataString(cursor)}", Ct);
        var third = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/admin/errors?category=page&limit=2&cursor={Uri.EscapeDataString(second.GetProperty("nextCursor").GetString()!)}", Ct);
        ids.AddRange(second.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        ids.AddRange(third.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));

        ids.Count.ShouldBe(5);
        ids.ShouldBe(ids.OrderDescending().ToList());
        third.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        (await client.GetAsync($"/api/v1/admin/errors?category=api&limit=2&cursor={Uri.EscapeDataString(cursor)}", Ct))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a cursor of other filters");
        var windowed = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/admin/errors?from={Uri.EscapeDataString(now.AddMinutes(-2.5).ToString("O"))}&service=worker", Ct);
        windowed.GetProperty("items").GetArrayLength().ShouldBe(3);
        await (await client.GetAsync("/api/v1/admin/errors?limit=0&from=yesterday", Ct)).ShouldFailValidationOnAsync("limit", "from");
    }

    [Fact]
    public async Task Trends_count_each_fingerprint_per_hour_and_numbers_in_messages_do_not_split_a_fingerprint()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var client = api.ClientWith(await api.OperatorKeyAsync());
        var hour = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await ErrorRows.InsertAsync(api.Database, [hour.AddMinutes(5), hour.AddMinutes(59)], message: "timeout on page 30 of run 0197a3b4-0000-7000-8000-000000000001");
        await ErrorRows.InsertAsync(api.Database, [hour.AddMinutes(61)], message: "timeout on page 60 of run 0197a3b4-0000-7000-8000-000000000002");
        await ErrorRows.InsertAsync(api.Database, [hour.AddMinutes(30)], code: "OTHER", message: "something else");
        await ErrorRows.InsertAsync(api.Database, [hour.AddHours(-1)], message: "timeout on page 90 of run 0197a3b4-0000-7000-8000-000000000003");

        var trends = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v1/admin/errors/trends?from={Uri.EscapeDataString(hour.ToString("O"))}&to={Uri.EscapeDataString(hour.AddHours(3).ToString("O"))}", Ct);

        var fingerprints = trends.GetProperty("fingerprints").EnumerateArray().ToList();
        fingerprints.Count.ShouldBe(2);
        var timeouts = fingerprints[0];
        timeouts.GetProperty("total").GetInt64().ShouldBe(3);
        timeouts.GetProperty("sampleMessage").GetString()!.ShouldContain("page 60");
        timeouts.GetProperty("hours").EnumerateArray()
            .Select(h => (h.GetProperty("hour").GetDateTimeOffset(), h.GetProperty("count").GetInt64()))
            .ShouldBe([(hour, 2L), (hour.AddHours(1), 1L)]);
        fingerprints[1].GetProperty("code").GetString().ShouldBe("OTHER");
        await (await client.GetAsync(
            $"/api/v1/admin/errors/trends?from={Uri.EscapeDataString(hour.ToString("O"))}&to={Uri.EscapeDataString(hour.AddDays(8).ToString("O"))}", Ct))
            .ShouldFailValidationOnAsync("from");
    }

    [Fact]
    public async Task Pruning_deletes_rows_older_than_the_retention_only()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var now = DateTimeOffset.UtcNow;
        await ErrorRows.InsertAsync(api.Database, [now.AddDays(-40), now.AddDays(-31), now.AddDays(-29), now]);
        var pruner = new ErrorLogPruner(api.Database, Options.Create(new ErrorLogOptions { RetentionDays = 30, PruneBatchSize = 1 }),
            TimeProvider.System, NullLogger<ErrorLogPruner>.Instance);

        (await pruner.PruneAsync(Ct)).ShouldBe(2);

        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.QuerySingleAsync<int>("SELECT count(*) FROM error_log WHERE occurred_at > now() - interval '30 days'")).ShouldBe(2);
        (await connection.QuerySingleAsync<int>("SELECT count(*) FROM error_log")).ShouldBe(2);
    }

    [Fact]
    public async Task A_full_buffer_drops_and_counts_instead_of_blocking_and_the_rest_is_written_in_batches()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        // A writer that is not running: nothing drains the buffer while the test fills it.
        var writer = new ErrorLogWriter(api.Database, Options.Create(new ErrorLogOptions { BufferCapacity = 10, BatchSize = 4 }),
            TimeProvider.System, NullLogger<ErrorLogWriter>.Instance);
        long dropped = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ErrorLogWriter.MeterName && instrument.Name == "platform.error_log.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();

        for (var i = 0; i < 15; i++)
        {
            writer.Record(ErrorCategories.Scheduler, ErrorLogCodes.SchedulerFailed, $"tick {i} failed\0 with a NUL", context: new Dictionary<string, object?> { ["i"] = i });
        }
        await writer.FlushAsync(Ct);

        Interlocked.Read(ref dropped).ShouldBe(5);
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        (await connection.QuerySingleAsync<int>("SELECT count(*) FROM error_log")).ShouldBe(10);
        (await connection.QuerySingleAsync<int>("SELECT count(DISTINCT fingerprint) FROM error_log")).ShouldBe(1);
        (await connection.QuerySingleAsync<int>("SELECT max((context->>'i')::int) FROM error_log")).ShouldBe(9);
    }

    private sealed class FailingHealthChecks : HealthCheckService
    {
        public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Could not connect: Password=hunter2;Host=db.internal");
    }
}
