using System.Security.Cryptography;
using System.Text;
using Platform.Domain.Errors;

namespace Platform.Domain.Catalog.Reservations;

/// <summary>
/// The body of <c>POST /diamonds/{id}/purchase</c> with its <c>Idempotency-Key</c>. The fingerprint covers the stone and
/// the body, so the same key with a different request is told apart from a replay.
/// </summary>
public sealed record PurchaseRequest(string IdempotencyKey, Guid DiamondId, string? Reference)
{
    public const int MaxIdempotencyKeyLength = 255;
    public const int MaxReferenceLength = 100;
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static (PurchaseRequest? Request, FieldErrors Errors) Create(string? idempotencyKey, Guid diamondId, string? reference)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            errors.Add(IdempotencyKeyHeader, "The Idempotency-Key header is required: a unique value per purchase, e.g. a UUID, sent again unchanged on retries.");
        }
        else if (idempotencyKey.Length > MaxIdempotencyKeyLength || !idempotencyKey.All(c => c is >= '!' and <= '~'))
        {
            errors.Add(IdempotencyKeyHeader, $"Use 1–{MaxIdempotencyKeyLength} visible ASCII characters (no spaces).");
        }
        if (reference is not null && (reference.Length is 0 or > MaxReferenceLength || reference.Any(char.IsControl)))
        {
            errors.Add("reference", $"Use 1–{MaxReferenceLength} characters without control characters, or omit it.");
        }
        return errors.IsEmpty ? (new PurchaseRequest(idempotencyKey!, diamondId, reference), errors) : (null, errors);
    }

    /// <summary>SHA-256 of the stone and the body; a length prefix keeps distinct fields from running together.</summary>
    public byte[] Fingerprint()
    {
        var text = $"{DiamondId:N}|{Reference?.Length ?? -1}|{Reference}";
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }
}
