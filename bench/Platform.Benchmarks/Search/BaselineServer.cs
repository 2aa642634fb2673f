using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Platform.Domain.Catalog.Search;
using Platform.Infrastructure.Catalog;
using Platform.ServiceDefaults.Data;

namespace Platform.Benchmarks.Search;

/// <summary>
/// The baseline of <c>./bench.sh search</c>: a minimal ASP.NET Core endpoint that runs exactly the SQL the api runs
/// (<see cref="DiamondSearchSql"/>, the capped count, the estimate beyond it) straight on Npgsql and writes the rows as
/// JSON from the reader. No authentication, rate limit, cursor signing, cache or OpenAPI: what is left is the database
/// and HTTP, the floor our api is measured against. Started as its own process (<c>PLATFORM_BENCH_ROLE=search-baseline</c>).
/// </summary>
public static class BaselineServer
{
    public const string Role = "search-baseline";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        // The api's client settings (pool of 20, auto-prepare): with Npgsql's default pool of 100, 64 connections thrash
        // Postgres on 2 cores and the baseline measured the pool, not the code.
        var dataSource = NpgsqlDataSource.Create(new NpgsqlSettings().ApplyPoolDefaults("platformdb",
            builder.Configuration["BASELINE_DB"] ?? throw new InvalidOperationException("BASELINE_DB is not set.")));
        var orgId = Guid.Parse(builder.Configuration["BASELINE_ORG"] ?? throw new InvalidOperationException("BASELINE_ORG is not set."));
        var app = builder.Build();
        app.MapGet("/health/live", () => "ok");
        app.MapGet("/api/v1/diamonds", async (HttpContext context) =>
        {
            var (criteria, errors) = DiamondSearchParser.Parse(
                context.Request.Query.Select(pair => new KeyValuePair<string, IReadOnlyList<string?>>(pair.Key, pair.Value.ToArray())));
            if (!errors.IsEmpty)
            {
                context.Response.StatusCode = 400;
                return;
            }
            var sql = DiamondSearchSql.For(orgId, criteria, after: null);
            await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
            // The api's sequence (DiamondSearch): page and estimate in one round trip, the capped count only when needed.
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql.Page + ";\n" + sql.Estimate, sql.Parameters, cancellationToken: context.RequestAborted));
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
            json.WriteStartObject();
            json.WriteStartArray("items");
            var rows = 0;
            while (await reader.ReadAsync(context.RequestAborted))
            {
                if (++rows <= criteria.Limit)
                {
                    WriteRow(json, reader);
                }
            }
            json.WriteEndArray();
            await reader.NextResultAsync(context.RequestAborted);
            await reader.ReadAsync(context.RequestAborted);
            var planned = SearchTotal.PlannedRows(reader.GetString(0));
            await reader.DisposeAsync();
            var total = SearchTotal.WithoutCounting(firstPage: true, rows, criteria.Limit, planned)
                ?? SearchTotal.FromCount(await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql.CappedCount, sql.Parameters, cancellationToken: context.RequestAborted)), planned);
            json.WriteNumber("total", total.Count);
            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted);
        });
        app.MapGet("/api/v1/diamonds/{id:guid}", async (Guid id, HttpContext context) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
                $"SELECT {DiamondView.Columns} FROM diamonds d WHERE d.id = @id AND d.org_id = @orgId AND d.status = 'active'",
                new { id, orgId }, cancellationToken: context.RequestAborted));
            if (!await reader.ReadAsync(context.RequestAborted))
            {
                context.Response.StatusCode = 404;
                return;
            }
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
            WriteRow(json, reader);
            await json.FlushAsync(context.RequestAborted);
        });
        await app.RunAsync();
    }

    private static void WriteRow(Utf8JsonWriter json, System.Data.Common.DbDataReader reader)
    {
        json.WriteStartObject();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            if (reader.IsDBNull(i))
            {
                json.WriteNull(name);
                continue;
            }
            switch (reader.GetValue(i))
            {
                case string text: json.WriteString(name, text); break;
                case decimal number: json.WriteNumber(name, number); break;
                case short number: json.WriteNumber(name, number); break;
                case int number: json.WriteNumber(name, number); break;
                case bool flag: json.WriteBoolean(name, flag); break;
                case Guid id: json.WriteString(name, id); break;
                case DateTime time: json.WriteString(name, time); break;
                case var other: json.WriteString(name, other.ToString()); break;
            }
        }
        json.WriteEndObject();
    }
}
