namespace Platform.Domain.Catalog.Paging;

/// <summary>
/// Keys that sign page cursors (section <c>Catalog:Cursor</c>). Cursors are signed with <see cref="SigningKey"/> and
/// accepted when signed with it or one of <see cref="PreviousSigningKeys"/>, so a key can be rotated without breaking
/// clients in the middle of paging. Each key is base64 of at least 32 random bytes.
/// </summary>
public sealed class CursorSigningOptions
{
    public const string SectionName = "Catalog:Cursor";
    public const int MinKeyBytes = 32;

    /// <summary>
    /// Used only in Development and Testing when no key is configured, so a local run needs no setup. It is public
    /// (it is in the source), so it is refused everywhere else.
    /// </summary>
    public const string DevelopmentSigningKey = "cGxhdGZvcm0tZGV2LWN1cnNvci1rZXktbm90LWZvci1wcm9kdWN0aW9uIQ==";

    public string? SigningKey { get; set; }

    public List<string> PreviousSigningKeys { get; set; } = [];

    /// <summary>Problems naming the setting; empty when usable. Outside development a key is required and must not be the development one.</summary>
    public IReadOnlyList<string> Validate(bool isDevelopment)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            problems.Add($"Configuration setting '{SectionName}:SigningKey' is required: base64 of at least {MinKeyBytes} random bytes (e.g. `openssl rand -base64 32`).");
        }
        else
        {
            CheckKey(problems, $"{SectionName}:SigningKey", SigningKey);
            if (!isDevelopment && SigningKey == DevelopmentSigningKey)
            {
                problems.Add($"Configuration setting '{SectionName}:SigningKey' is the public development key; set a secret one outside Development.");
            }
        }
        for (var i = 0; i < PreviousSigningKeys.Count; i++)
        {
            CheckKey(problems, $"{SectionName}:PreviousSigningKeys:{i}", PreviousSigningKeys[i]);
        }
        return problems;
    }

    /// <summary>The signing key first, then the previous ones, decoded. Call after <see cref="Validate"/> passed.</summary>
    public IReadOnlyList<byte[]> DecodedKeys() => [Decode(SigningKey)!, .. PreviousSigningKeys.Select(key => Decode(key)!)];

    private static void CheckKey(List<string> problems, string setting, string? key)
    {
        if (Decode(key) is not { Length: >= MinKeyBytes })
        {
            problems.Add($"Configuration setting '{setting}' must be base64 of at least {MinKeyBytes} bytes.");
        }
    }

    private static byte[]? Decode(string? key)
    {
        var buffer = new byte[((key?.Length ?? 0) * 3 / 4) + 3];
        return key is not null && Convert.TryFromBase64String(key.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}
