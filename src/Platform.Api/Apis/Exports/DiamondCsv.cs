using System.Globalization;
using Platform.Infrastructure.Catalog;

namespace Platform.Api.Apis.Exports;

/// <summary>
/// RFC 4180 CSV of catalog stones: a header, then one line per stone; fields with a comma, quote or line break are
/// quoted. Supplier text that a spreadsheet would run as a formula (<c>= + - @</c>, tab, carriage return first) gets a
/// leading apostrophe (OWASP "CSV injection"). Numbers use the invariant culture, times ISO 8601 UTC.
/// </summary>
public static class DiamondCsv
{
    public const string Header =
        "id,feedId,supplierStoneId,offerId,shape,carats,color,clarity,cut,polish,symmetry,fluorescence,labGrown,retailPrice,feedPrice," +
        "pricePerCarat,markupRatio,rating,availability,certificateLab,certificateNumber,imageUrl,videoUrl,supplierName,sourceUpdatedAt,createdAt,updatedAt";

    public static string Line(DiamondView d) => string.Join(',',
        d.Id.ToString(), d.FeedId.ToString(), Text(d.SupplierStoneId), Text(d.OfferId), Text(d.Shape), Number(d.Carats), Text(d.Color),
        Text(d.Clarity), Text(d.Cut), Text(d.Polish), Text(d.Symmetry), Text(d.Fluorescence), d.LabGrown ? "true" : "false",
        Number(d.RetailPrice), Number(d.FeedPrice), Number(d.PricePerCarat), Number(d.MarkupRatio),
        d.Rating.ToString(CultureInfo.InvariantCulture), Text(d.Availability), Text(d.CertificateLab), Text(d.CertificateNumber),
        Text(d.ImageUrl), Text(d.VideoUrl), Text(d.SupplierName), Time(d.SourceUpdatedAt), Time(d.CreatedAt), Time(d.UpdatedAt));

    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
