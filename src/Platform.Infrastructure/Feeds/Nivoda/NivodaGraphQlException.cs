using Platform.Infrastructure.Feeds.Upstream;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// Nivoda answered HTTP 200 with GraphQL <c>errors</c>. Authentication, authorisation, syntax and validation errors
/// are not transient (the same request fails the same way); anything else (resolver failures, upstream timeouts) is.
/// </summary>
public sealed class NivodaGraphQlException(string message, string? code, bool isTransient, bool isTokenRejected)
    : UpstreamException(message)
{
    /// <summary>The first error's <c>extensions.code</c>, when the server sent one.</summary>
    public string? Code { get; } = code;

    public override bool IsTransient { get; } = isTransient;

    /// <summary>The session token was refused (expired or revoked): authenticate again and repeat once.</summary>
    public bool IsTokenRejected { get; } = isTokenRejected;
}
