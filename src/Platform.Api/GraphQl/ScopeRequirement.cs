using System.Security.Claims;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Platform.Api.Authentication;
using Platform.Domain.Tenancy;

namespace Platform.Api.GraphQl;

/// <summary>
/// The GraphQL twin of REST's named authorization policies: a field that changes state names the scope it needs, and
/// the same call installs the check, so a field cannot declare a scope without enforcing it. <c>admin</c> implies
/// every organization scope, as in <see cref="AuthenticationSetup.PipelineAdmin"/>. A test enumerates the mutations and
/// fails for one without a scope. The check is REST's (<see cref="ScopeClaims.HasScope"/>).
/// </summary>
public static class ScopeRequirement
{
    public const string MetadataKey = "platform:requiredScope";

    public static FieldBuilder<TSource, TReturn> RequireScope<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string scope)
    {
        field.FieldType.Metadata[MetadataKey] = scope;
        field.FieldType.Description = $"{field.FieldType.Description} Needs scope `{scope}`.".Trim();
        return field.ApplyMiddleware(next => context => HasScope(context.User, scope)
            ? next(context)
            : throw new ExecutionError($"This operation needs an API key with scope '{scope}'.") { Code = ErrorCatalog.Forbidden.Code });
    }

    /// <summary>The scope a field needs, or null for a field open to every member of the organization.</summary>
    public static string? RequiredScope(this FieldType field) => field.GetMetadata<string?>(MetadataKey);

    private static bool HasScope(ClaimsPrincipal? user, string scope) => user is not null && user.HasScope(scope);
}
