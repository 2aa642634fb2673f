using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Platform.Api.ApiReference;
using Platform.Api.Authentication;
using Platform.Api.Errors;
using Platform.Api.RateLimiting;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;

namespace Platform.Api.Apis.ApiKeys;

/// <summary>
/// An organization's API keys (PLATFORM §6, keys and access): create (the secret is shown once), list, get, rotate with a
/// grace period, revoke. Scope <c>admin</c>; every change is audited; other organizations' key ids answer 404.
/// </summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(AuthenticationSetup.Admin)
            .RequireRateLimiting(RateLimitPolicies.Admin);
        api.MapPost("", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("""
                Needs scope `admin`. `name` 1–100 characters; `scopes` a non-empty subset of `catalog:read`, `catalog:write`,
                `pipeline:admin`, `webhooks:manage`, `admin`, none beyond the calling key's own; `expiresAt` optional, in the future.
                The response holds the key (`key`) — the only time it is shown; store it now. With `requireSignature: true` it also holds
                `signingSecret` (shown once too), and every request with the key must carry X-Timestamp, X-Nonce and X-Signature.
                """)
            .ProducesErrors(ErrorCatalog.ApiKeyLimitReached);
        api.MapGet("", ListAsync).WithName("ListApiKeys")
            .WithSummary("List API keys")
            .WithDescription("Needs scope `admin`. Unrevoked keys (expired ones too) and rotated keys still in their grace period, newest first. Never the secret.");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetApiKey")
            .WithSummary("Get an API key").WithDescription("Needs scope `admin`. Revoked keys are readable too.")
            .ProducesErrors(ErrorCatalog.NotFound);
        api.MapPost("/{id:guid}/rotate", RotateAsync).WithName("RotateApiKey")
            .WithSummary("Rotate an API key")
            .WithDescription("""
                Needs scope `admin`. Returns a new key with the same name, scopes and expiry (shown once). The old key keeps
                working until its `graceUntil` (`ApiKeys:RotationGraceHours`, 24 h by default), then gets 401 like any invalid key.
                A signed key's replacement gets a new `signingSecret`.
                """)
            .ProducesErrors(ErrorCatalog.NotFound, ErrorCatalog.ApiKeyInactive);
        api.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeApiKey")
            .WithSummary("Revoke an API key")
            .WithDescription("""
                Needs scope `admin`. Takes effect within seconds on every api replica, also for a rotated key in its grace
                period. Revoking a revoked key is a no-op (204).
                """)
            .ProducesErrors(ErrorCatalog.NotFound);
        return routes;
    }

    private static async Task<Results<Created<CreatedApiKeyView>, ProblemHttpResult>> CreateAsync(
        CreateApiKeyRequest request, ClaimsPrincipal user, HttpContext context, ApiKeyManager manager, IOptions<ApiKeyOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (name, scopes, errors) = Validate(request, user, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return ApiProblem.Result(ErrorCatalog.ValidationFailed, fieldErrors: errors);
        }
        var maxKeys = options.Value.MaxKeysPerOrganization;
        var result = await manager.CreateAsync(Change(user, context), name, scopes, request.ExpiresAt, maxKeys, cancellationToken, request.RequireSignature ?? false);
        if (result.Outcome == ApiKeyOutcome.LimitReached)
        {
            return ApiProblem.Result(ErrorCatalog.ApiKeyLimitReached, $"An organization holds at most {maxKeys} unrevoked keys.");
        }
        return TypedResults.Created($"/api/v1/api-keys/{result.Key!.Id}", CreatedApiKeyView.Of(result.Created!, result.Key, result.SigningSecret));
    }

    private static async Task<Ok<ApiKeyList>> ListAsync(ClaimsPrincipal user, ApiKeyManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ApiKeyList((await manager.ListAsync(user.OrgId(), cancellationToken)).Select(ApiKeyView.Of).ToList()));

    private static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> GetAsync(
        [Description("The key's id.")] Guid id, ClaimsPrincipal user, ApiKeyManager manager, CancellationToken cancellationToken) =>
        await manager.FindAsync(user.OrgId(), id, cancellationToken) is { } key ? TypedResults.Ok(ApiKeyView.Of(key)) : ApiProblem.Result(ErrorCatalog.NotFound);

    private static async Task<Results<Created<CreatedApiKeyView>, ProblemHttpResult>> RotateAsync(
        [Description("The key to replace.")] Guid id, ClaimsPrincipal user, HttpContext context, ApiKeyManager manager,
        ApiKeyRevocations revocations, IOptions<ApiKeyOptions> options, CancellationToken cancellationToken)
    {
        var result = await manager.RotateAsync(Change(user, context), id, options.Value.RotationGrace, cancellationToken);
        switch (result.Outcome)
        {
            case ApiKeyOutcome.NotFound:
                return ApiProblem.Result(ErrorCatalog.NotFound);
            case ApiKeyOutcome.Inactive:
                return ApiProblem.Result(ErrorCatalog.ApiKeyInactive);
        }
        // Replicas that cached the old key re-read it and learn its grace period (which ends at once when it is 0).
        await revocations.PublishAsync(id);
        return TypedResults.Created($"/api/v1/api-keys/{result.Key!.Id}", CreatedApiKeyView.Of(result.Created!, result.Key, result.SigningSecret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        [Description("The key to revoke.")] Guid id, ClaimsPrincipal user, HttpContext context, ApiKeyManager manager,
        ApiKeyRevocations revocations, CancellationToken cancellationToken)
    {
        var result = await manager.RevokeAsync(Change(user, context), id, cancellationToken);
        if (result.Outcome == ApiKeyOutcome.NotFound)
        {
            return ApiProblem.Result(ErrorCatalog.NotFound);
        }
        // Published after the commit; a repeated DELETE publishes again, which is harmless and heals a lost message.
        await revocations.PublishAsync(id);
        return TypedResults.NoContent();
    }

    private static ApiKeyChange Change(ClaimsPrincipal user, HttpContext context) =>
        new(user.OrgId(), user.AuditActor(), context.Connection.RemoteIpAddress?.ToString(), ApiProblem.TraceId(context));

    private static (string Name, IReadOnlyList<string> Scopes, Dictionary<string, string[]> Errors) Validate(
        CreateApiKeyRequest request, ClaimsPrincipal user, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors["name"] = ["Name is required."];
        }
        else if (name.Length > ApiKeyLimits.MaxNameLength)
        {
            errors["name"] = [$"Name has at most {ApiKeyLimits.MaxNameLength} characters."];
        }
        else if (name.Any(char.IsControl))
        {
            errors["name"] = ["Name must not contain control characters."];
        }

        var scopes = (request.Scopes ?? []).Select(scope => scope ?? "").Distinct(StringComparer.Ordinal).ToList();
        var unknown = scopes.Where(scope => !Scopes.Organization.Contains(scope)).ToList();
        if (scopes.Count == 0)
        {
            errors["scopes"] = ["At least one scope is required."];
        }
        else if (unknown.Count > 0)
        {
            // Echo at most a few, shortened: a client must not be able to make the error body large.
            errors["scopes"] = [$"Unknown scopes: {string.Join(", ", unknown.Take(5).Select(s => s.Length > 40 ? s[..40] + "…" : s))}. " +
                $"Allowed: {string.Join(", ", Scopes.Organization)}."];
        }
        else if (scopes.Where(scope => !user.HasScope(scope)).ToList() is { Count: > 0 } beyond)
        {
            errors["scopes"] = [$"A key cannot grant scopes its creator lacks: {string.Join(", ", beyond)}."];
        }

        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors["expiresAt"] = ["Must be in the future."];
        }
        return (name, scopes, errors);
    }
}
