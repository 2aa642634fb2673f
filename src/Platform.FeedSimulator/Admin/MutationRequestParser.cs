namespace Platform.FeedSimulator.Admin;

internal static class MutationRequestParser
{
    public const string PriceKind = "price";
    public const string AvailabilityKind = "availability";

    public static bool TryParse(MutationRequest request, out CatalogueMutation mutation, out string? error)
    {
        mutation = null!;
        error = null;
        if (request.Fraction is not (> 0 and <= 1))
        {
            error = $"fraction must be greater than 0 and at most 1 (was {request.Fraction?.ToString(CultureInfo.InvariantCulture) ?? "missing"}).";
            return false;
        }
        var kinds = (request.Kinds ?? []).Select(kind => kind.ToLowerInvariant()).ToHashSet();
        if (kinds.Count == 0 || kinds.Any(kind => kind is not (PriceKind or AvailabilityKind)))
        {
            error = $"kinds must list one or both of '{PriceKind}' and '{AvailabilityKind}'.";
            return false;
        }
        mutation = new CatalogueMutation(request.Fraction.Value, request.Seed ?? 0, kinds.Contains(PriceKind), kinds.Contains(AvailabilityKind));
        return true;
    }
}
