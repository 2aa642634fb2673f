using System.Text.Json;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>Classifies a GraphQL <c>errors</c> array, by <c>extensions.code</c> where present and by message otherwise.</summary>
internal static class NivodaErrors
{
    private const int MessageLimit = 300;

    private static readonly string[] RequestErrorCodes =
        ["UNAUTHENTICATED", "FORBIDDEN", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST"];

    private static readonly string[] TokenHints =
        ["unauthorized", "unauthenticated", "not authenticated", "authentication required", "invalid token", "token expired", "jwt expired"];

    private static readonly string[] CredentialHints = ["password", "username", "credential", "unauthor", "authenticat"];

    private static readonly string[] RequestHints =
        ["syntax error", "cannot query field", "unknown argument", "unknown type", "validation", "expected type", "was not provided"];

    public static NivodaGraphQlException From(JsonElement errors, string operation, bool isAuthentication)
    {
        string? firstMessage = null;
        string? firstCode = null;
        var tokenRejected = false;
        var permanent = false;
        foreach (var error in errors.EnumerateArray())
        {
            var message = error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() ?? "" : "";
            var code = error.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
                && extensions.TryGetProperty("code", out var codeValue) && codeValue.ValueKind == JsonValueKind.String
                ? codeValue.GetString()
                : null;
            firstMessage ??= message;
            firstCode ??= code;
            var refusesToken = !isAuthentication && (code == "UNAUTHENTICATED" || Mentions(message, TokenHints));
            tokenRejected |= refusesToken;
            permanent |= refusesToken
                || (code is not null && RequestErrorCodes.Contains(code))
                || Mentions(message, RequestHints)
                || (isAuthentication && Mentions(message, CredentialHints));
        }
        var shown = firstMessage is { Length: > MessageLimit } ? string.Concat(firstMessage.AsSpan(0, MessageLimit), "…") : firstMessage;
        return new NivodaGraphQlException(
            $"Nivoda {operation} returned GraphQL errors: {shown}{(firstCode is null ? "" : $" ({firstCode})")}",
            firstCode,
            isTransient: !permanent,
            isTokenRejected: tokenRejected);
    }

    private static bool Mentions(string message, string[] hints)
    {
        foreach (var hint in hints)
        {
            if (message.Contains(hint, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
