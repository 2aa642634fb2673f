using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Api.ApiReference;
using Platform.Api.Apis.Diamonds;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.Search;
using Platform.Infrastructure.Catalog;

namespace Platform.Api.Apis.Exports;

/// <summary>
/// <c>GET /api/v1/exports/diamonds</c>: every active stone of the caller that matches the search's filters, in its sort
/// order, streamed as CSV or NDJSON. Memory stays constant whatever the size (one row at a time, flushed in blocks),
/// and a client that goes away cancels the query.
/// </summary>
public static class ExportsApi
{
    /// <summary>Rows written between flushes: large enough to fill network buffers, small enough that a slow client pushes back early.</summary>
    private const int FlushEvery = 500;

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1").WithTags("Catalog").RequireAuthorization(AuthenticationSetup.CatalogRead).RateLimitedByMethod()
            .MapGet("/exports/diamonds", ExportAsync).WithName("ExportDiamonds")
            .WithSummary("Export diamonds as CSV or NDJSON")
            .WithDescription("""
                The same filters and sort as `GET /diamonds`, plus `format` (`csv`, the default, or `ndjson`). Holds every matching
                active stone, streamed: `limit` and `cursor` are refused. CSV starts with a header line; text that a spreadsheet would
                run as a formula is prefixed with an apostrophe. NDJSON has one stone per line, as in `GET /diamonds/{id}`.
                """)
            .AddOpenApiOperationTransformer(DiamondQueryParameters.DescribeExport)
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/x-ndjson")
            .ProducesErrors(ErrorCatalog.ValidationFailed);
        return routes;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext context, ClaimsPrincipal user, DiamondExport export, IOptions<JsonOptions> json, TimeProvider time)
    {
        var (query, errors) = DiamondExportQuery.Parse(QueryValues.Of(context.Request));
        if (!errors.IsEmpty)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        var csv = query.Format == ExportFormat.Csv;
        var response = context.Response;
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        var name = $"diamonds-{time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.{(csv ? "csv" : "ndjson")}";
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";

        var cancellation = context.RequestAborted;
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
        if (csv)
        {
            await writer.WriteAsync(DiamondCsv.Header + "\n");
        }
        var rows = 0;
        await foreach (var diamond in export.ReadAsync(user.OrgId(), query.Criteria, cancellation))
        {
            await writer.WriteAsync(csv ? DiamondCsv.Line(diamond) : JsonSerializer.Serialize(diamond, json.Value.SerializerOptions));
            await writer.WriteAsync('\n');
            if (++rows % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellation);
            }
        }
        await writer.FlushAsync(cancellation);
        return Results.Empty;
    }
}
