using System.Text.RegularExpressions;

namespace Platform.ServiceDefaults.Logging;

/// <summary>
/// Removes secrets from log text before it is written: API keys (<c>plat_…</c>), bearer tokens, passwords in
/// connection strings, HMAC signatures and secret-looking key/value pairs. A last line of defence — code should never
/// log a secret — so the patterns are broad and the replacement says what was removed.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    public static string Redact(string text) =>
        text.Length == 0 || !MayContainSecret().IsMatch(text) ? text : Secrets().Replace(text, Replace);

    private static string Replace(Match match) =>
        match.Groups["name"].Success ? $"{match.Groups["name"].Value}{match.Groups["sep"].Value}{Mask}" : $"plat_{Mask}";

    // A cheap pre-check keeps the common case (no secret) to one scan.
    [GeneratedRegex("plat_|bearer|password|pwd|secret|signature|token|api[-_]?key", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MayContainSecret();

    [GeneratedRegex("""
        plat_[A-Za-z0-9]{8,}
        | (?<name>\b(?:bearer))(?<sep>\s+)[A-Za-z0-9._~+/=-]+
        | (?<name>\b(?:password|pwd|secret|client[_-]?secret|signature|token|access[_-]?token|api[-_]?key|x-api-key))(?<sep>"?\s*[=:]\s*"?)[^;,&\s"]+
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Secrets();
}
