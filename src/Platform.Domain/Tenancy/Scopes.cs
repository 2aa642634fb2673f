namespace Platform.Domain.Tenancy;

/// <summary>What an API key may do. Organization keys hold a subset of the first five; operators hold <see cref="PlatformAdmin"/>.</summary>
public static class Scopes
{
    public const string CatalogRead = "catalog:read";
    public const string CatalogWrite = "catalog:write";
    public const string PipelineAdmin = "pipeline:admin";
    public const string WebhooksManage = "webhooks:manage";
    public const string Admin = "admin";
    public const string PlatformAdmin = "platform:admin";

    public static readonly IReadOnlyList<string> Organization = [CatalogRead, CatalogWrite, PipelineAdmin, WebhooksManage, Admin];

    public static bool IsKnown(string scope) => scope == PlatformAdmin || Organization.Contains(scope);

    /// <summary>
    /// True when a key holding <paramref name="held"/> may act with <paramref name="scope"/>: it holds it, or it holds
    /// <see cref="Admin"/> and the scope is an organization scope (an organization's admin can do what its members can).
    /// <see cref="PlatformAdmin"/> is never implied.
    /// </summary>
    public static bool Grants(IEnumerable<string> held, string scope)
    {
        foreach (var candidate in held)
        {
            if (candidate == scope || (candidate == Admin && Organization.Contains(scope)))
            {
                return true;
            }
        }
        return false;
    }
}
