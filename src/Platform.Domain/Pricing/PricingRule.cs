namespace Platform.Domain.Pricing;

/// <summary>
/// A tenant's markup for a class of stones (SOURCES §3.9). Every criterion is optional: null (or, for shapes,
/// an empty list) matches anything. Among active rules the lowest <see cref="Priority"/> that matches wins.
/// </summary>
public sealed record PricingRule
{
    public const decimal MaxMarkupRatio = 10m;
    public const int MinRating = 1;
    public const int MaxRating = 10;

    public required Guid Id { get; init; }

    /// <summary>Lower wins; ties are broken by <see cref="Id"/> so the outcome never depends on load order.</summary>
    public int Priority { get; init; }

    /// <summary>Inclusive lower carat bound.</summary>
    public decimal? CaratMin { get; init; }

    /// <summary>Inclusive upper carat bound.</summary>
    public decimal? CaratMax { get; init; }

    /// <summary>Shapes this rule applies to, compared case-insensitively; free text, as suppliers name shapes freely.</summary>
    public IReadOnlyList<string>? Shapes { get; init; }

    public bool? LabGrown { get; init; }

    public Guid? FeedId { get; init; }

    /// <summary>Retail = feed price × this; greater than 0 and at most <see cref="MaxMarkupRatio"/>.</summary>
    public required decimal MarkupRatio { get; init; }

    /// <summary>Merchandising rating 1–10 given to matching stones.</summary>
    public int? Rating { get; init; }

    /// <summary>Inactive rules are kept for history but never applied.</summary>
    public bool Active { get; init; } = true;

    /// <summary>
    /// Field problems keyed by the JSON field name (camelCase, as in the API's <c>errors</c> object);
    /// empty when the rule is valid.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var messages))
                errors[field] = messages = [];
            messages.Add(message);
        }

        if (Priority < 0)
            Add("priority", "Priority must be zero or greater.");
        if (MarkupRatio <= 0)
            Add("markupRatio", "Markup ratio must be greater than 0.");
        else if (MarkupRatio > MaxMarkupRatio)
            Add("markupRatio", $"Markup ratio must be at most {MaxMarkupRatio}.");
        if (Rating is < MinRating or > MaxRating)
            Add("rating", $"Rating must be between {MinRating} and {MaxRating}.");
        if (CaratMin < 0)
            Add("caratMin", "Minimum carats must not be negative.");
        if (CaratMax < 0)
            Add("caratMax", "Maximum carats must not be negative.");
        if (CaratMin > CaratMax)
            Add("caratMin", "Minimum carats must not exceed maximum carats.");
        if (Shapes is not null && Shapes.Any(string.IsNullOrWhiteSpace))
            Add("shapes", "Shapes must not contain blank names.");

        return errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }
}
