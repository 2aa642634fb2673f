using System.ComponentModel.DataAnnotations;

namespace Platform.Api.Security;

/// <summary>The largest request body the api reads. Larger bodies get 413 <c>PAYLOAD_TOO_LARGE</c>.</summary>
public sealed class RequestBodyOptions
{
    public const string SectionName = "Api";

    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>1 MiB by default: the largest real body (a batch get of 100 ids, a pricing rule) is a few KiB.</summary>
    [Range(1L, 1024L * 1024 * 1024, ErrorMessage = "Api:MaxRequestBodyBytes must be between 1 and 1073741824 (1 GiB).")]
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}
