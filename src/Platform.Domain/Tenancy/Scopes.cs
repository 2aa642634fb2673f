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
}
