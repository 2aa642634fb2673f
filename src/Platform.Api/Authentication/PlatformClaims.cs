namespace Platform.Api.Authentication;

public static class PlatformClaims
{
    public const string KeyId = "key_id";
    public const string KeyName = "key_name";
    public const string OrgId = "org_id";
    public const string Scope = "scope";
}
