using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Api.Authentication.Signing;
using Platform.Api.Errors;

namespace Platform.Api.Authentication;

/// <summary>
/// Authenticates <c>X-API-Key: plat_…</c> (or <c>Authorization: Bearer plat_…</c>). Unknown, revoked and
/// expired keys (and rotated keys past their grace period) are indistinguishable to the caller: one 401 body for all.
/// Keys created with <c>requireSignature: true</c> must also carry a valid HMAC signature (<see cref="RequestSignatureVerifier"/>).
/// Keys come from <see cref="ApiKeyCache"/>; each use is recorded for <c>last_used_at</c> by <see cref="ApiKeyUsage"/>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys, ApiKeyUsage usage,
    RequestSignatureVerifier signatures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        var identity = await keys.FindActiveAsync(token, Context.RequestAborted);
        // A key that must sign and a request that is not signed right read exactly like an unknown key (ADR 0032).
        if (identity is null || identity.SigningSecret is { } signing && !await signatures.VerifyAsync(Request, identity.KeyId, signing))
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }
        usage.Record(identity.KeyId);
        var claims = new List<Claim> { new(PlatformClaims.KeyId, identity.KeyId.ToString()), new(PlatformClaims.KeyName, identity.KeyName) };
        if (identity.OrgId is { } orgId)
        {
            claims.Add(new Claim(PlatformClaims.OrgId, orgId.ToString()));
        }
        claims.AddRange(identity.Scopes.Select(scope => new Claim(PlatformClaims.Scope, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblem.WriteAsync(Context, ErrorCatalog.Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblem.WriteAsync(Context, ErrorCatalog.Forbidden);

    private static string? ReadToken(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1 && !string.IsNullOrWhiteSpace(header[0]))
        {
            return header[0]!.Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
