using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Search;

/// <summary>Validates the ids of <c>POST /diamonds:batchGet</c>: 1–100 UUIDs; repeats are answered once, in first-seen order.</summary>
public static class DiamondIdList
{
    public const int MaxIds = 100;

    public static (IReadOnlyList<Guid> Ids, FieldErrors Errors) Parse(IReadOnlyList<string?>? ids)
    {
        var errors = new FieldErrors();
        if (ids is null || ids.Count == 0)
        {
            errors.Add("ids", $"Give between 1 and {MaxIds} ids.");
            return ([], errors);
        }
        if (ids.Count > MaxIds)
        {
            errors.Add("ids", $"At most {MaxIds} ids per request (got {ids.Count}).");
            return ([], errors);
        }
        var parsed = new List<Guid>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (Guid.TryParseExact(ids[i]?.Trim(), "D", out var id))
            {
                parsed.Add(id);
            }
            else
            {
                errors.Add($"ids[{i}]", "Must be a UUID.");
            }
        }
        return ([.. parsed.Distinct()], errors);
    }
}
