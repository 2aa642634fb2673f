using System.ComponentModel.DataAnnotations;

namespace Platform.Api.GraphQl;

/// <summary>Limits of <c>/graphql</c> (section <c>GraphQl</c>); docs/api/graphql.md lists them for clients.</summary>
public sealed class GraphQlOptions
{
    public const string SectionName = "GraphQl";

    /// <summary>
    /// The largest <c>query</c> text, in UTF-8 bytes. Real documents are a few hundred bytes; a cap keeps parsing and
    /// validation cheap for a hostile client. Larger documents get 413 <c>PAYLOAD_TOO_LARGE</c>.
    /// </summary>
    [Range(256, 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 16 * 1024;

    /// <summary>The deepest selection set. The catalog schema is three levels deep (connection, edge, node); introspection needs ~13.</summary>
    [Range(2, 100)]
    public int MaxDepth { get; set; } = 15;

    /// <summary><c>__schema</c> and <c>__type</c>: null means on in Development and off elsewhere.</summary>
    public bool? EnableIntrospection { get; set; }
}
