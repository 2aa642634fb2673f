using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Catalog.Reservations;
using Platform.Infrastructure.Catalog.Reservations;

namespace Platform.Api.Apis.Diamonds;

/// <summary>
/// Holds and purchases (PLATFORM §6): writes that reach the stone's supplier through its feed adapter. A purchase
/// needs an <c>Idempotency-Key</c>: the first answer under a key is stored and replayed, so retrying after a lost
/// response never buys twice.
/// </summary>
public static class ReservationsApi
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Body of a purchase; it may be omitted.</summary>
    public sealed record PurchaseBody([property: Description("Your own reference for the order, 1–100 characters; stored and returned.")] string? Reference);

    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/diamonds").WithTags("Catalog").RequireAuthorization(AuthenticationSetup.CatalogWrite)
            .RequireRateLimiting(RateLimitPolicies.CatalogWrite);
        api.MapPost("/{id:guid}/hold", HoldAsync).WithName("HoldDiamond")
            .WithSummary("Hold a diamond")
            .WithDescription("""
                Asks the stone's supplier to hold it (the simulator holds for 48 h) and marks it `on_hold`. `409 DIAMOND_NOT_AVAILABLE`
                when it is held or sold; `503 SUPPLIER_UNAVAILABLE` with `Retry-After` when the supplier cannot be reached (nothing was held).
                """)
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.DiamondNotAvailable, ErrorCatalog.ReservationsNotSupported, ErrorCatalog.SupplierUnavailable);
        api.MapPost("/{id:guid}/purchase", PurchaseAsync).WithName("PurchaseDiamond")
            .WithSummary("Buy a diamond")
            .WithDescription("""
                Needs an `Idempotency-Key` header (1–255 visible ASCII characters, e.g. a UUID). The first confirmed or refused answer
                under a key is stored and returned again, with `Idempotent-Replayed: true`, for the same key and body; a different body
                under a used key is `422 IDEMPOTENCY_KEY_REUSED`. While the first request is still running, others get
                `409 PURCHASE_IN_PROGRESS`. When the supplier cannot be reached nothing is bought and nothing is stored: retry with the same key.
                """)
            .ProducesErrors(ErrorCatalog.ValidationFailed, ErrorCatalog.NotFound, ErrorCatalog.DiamondNotAvailable, ErrorCatalog.PurchaseInProgress,
                ErrorCatalog.IdempotencyKeyReused, ErrorCatalog.ReservationsNotSupported, ErrorCatalog.SupplierUnavailable);
        return routes;
    }

    private static async Task<Results<Created<HoldView>, ProblemHttpResult>> HoldAsync(
        [Description("The diamond's id.")] Guid id, ClaimsPrincipal user, HttpContext context, HoldService holds, CancellationToken cancellationToken)
    {
        var result = await holds.PlaceAsync(user.OrgId(), id, Actor(user), cancellationToken);
        return result.Status switch
        {
            HoldStatus.Placed => TypedResults.Created($"/api/v1/diamonds/{id}", result.Hold),
            HoldStatus.NotFound => ApiProblem.Result(ErrorCatalog.NotFound),
            HoldStatus.NotAvailable => ApiProblem.Result(ErrorCatalog.DiamondNotAvailable, result.Detail),
            HoldStatus.NotSupported => ApiProblem.Result(ErrorCatalog.ReservationsNotSupported, result.Detail),
            _ => Unavailable(context, result.Detail, result.RetryAfter),
        };
    }

    private static async Task<Results<Created<PurchaseView>, ProblemHttpResult>> PurchaseAsync(
        [Description("The diamond's id.")] Guid id,
        [FromHeader(Name = PurchaseRequest.IdempotencyKeyHeader), Description("A unique value per purchase (e.g. a UUID), sent again unchanged on retries.")] string? idempotencyKey,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] PurchaseBody? body,
        ClaimsPrincipal user, HttpContext context, PurchaseService purchases, CancellationToken cancellationToken)
    {
        var (request, errors) = PurchaseRequest.Create(idempotencyKey, id, body?.Reference);
        if (request is null)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors.ToDictionary());
        }
        var result = await purchases.PurchaseAsync(user.OrgId(), request, Actor(user), cancellationToken);
        if (result.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }
        return result.Status switch
        {
            PurchaseStatus.Confirmed => TypedResults.Created($"/api/v1/diamonds/{id}", result.Purchase),
            PurchaseStatus.Rejected => ApiProblem.Result(ErrorCatalog.DiamondNotAvailable, result.Detail),
            PurchaseStatus.NotFound => ApiProblem.Result(ErrorCatalog.NotFound),
            PurchaseStatus.KeyReused => ApiProblem.Result(ErrorCatalog.IdempotencyKeyReused,
                "This Idempotency-Key was first used with another diamond or body."),
            PurchaseStatus.InProgress => WithRetryAfter(context, result.RetryAfter, ApiProblem.Result(ErrorCatalog.PurchaseInProgress)),
            PurchaseStatus.NotSupported => ApiProblem.Result(ErrorCatalog.ReservationsNotSupported, result.Detail),
            _ => Unavailable(context, result.Detail, result.RetryAfter),
        };
    }

    private static ProblemHttpResult Unavailable(HttpContext context, string? detail, TimeSpan? retryAfter) =>
        WithRetryAfter(context, retryAfter, ApiProblem.Result(ErrorCatalog.SupplierUnavailable, detail));

    private static ProblemHttpResult WithRetryAfter(HttpContext context, TimeSpan? retryAfter, ProblemHttpResult problem)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return problem;
    }

    private static string Actor(ClaimsPrincipal user) => user.AuditActor();
}
