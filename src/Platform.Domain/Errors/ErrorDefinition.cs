namespace Platform.Domain.Errors;

/// <summary>One entry of the error catalogue: a stable code clients can switch on, its HTTP status, and what to do about it.</summary>
public sealed record ErrorDefinition(string Code, int Status, string Title, string Hint)
{
    /// <summary>Anchor of this error in the API reference (docs/api/errors.md).</summary>
    public string DocsAnchor => "errors#" + Code.ToLowerInvariant().Replace('_', '-');
}
