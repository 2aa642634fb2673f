using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Platform.Infrastructure.Operations.ErrorLog;

/// <summary>
/// Groups occurrences of the same failure: a hash of service, category, code and the message with its variable parts
/// (uuids, long hex strings, numbers) replaced, so "page 30 of run 0197…" and "page 60 of run 0198…" count together.
/// </summary>
public static partial class ErrorFingerprint
{
    public static string Normalize(string message)
    {
        var text = Uuid().Replace(message, "<id>");
        text = Hex().Replace(text, "<hex>");
        text = Number().Replace(text, "<n>");
        return Whitespace().Replace(text, " ").Trim();
    }

    public static string Of(string service, string category, string code, string message)
    {
        var input = string.Join('\n', service, category, code, Normalize(message));
        // 16 bytes of SHA-256: collisions are irrelevant at error-log volumes, and the hex stays short in URLs.
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)).AsSpan(0, 16));
    }

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{16,}\b")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\d+(?:[.,]\d+)*")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
