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

    /// <summary>
    /// The complexity budget of one document (ComplexityBudget, ADR 0025): each field costs 1 and lists multiply their
    /// children by <c>first</c>. 10 000 fits a full page of 100 diamonds with every field and their feed, twice over (edges
    /// and nodes), and the standard introspection query; it refuses pages of pages, such as 100 diamonds × 100 price changes.
    /// Over it: 400 <c>GRAPHQL_TOO_COMPLEX</c>.
    /// </summary>
    [Range(10, 10_000_000)]
    public int MaxComplexity { get; set; } = 10_000;

    /// <summary>
    /// Validated documents kept by their text (<see cref="ValidatedDocumentCache"/>), so a repeated document skips parsing
    /// and the specification's validation rules; 0 turns the cache off. Each entry is at most
    /// <see cref="MaxDocumentBytes"/> of text, so the default bounds it to a few megabytes.
    /// </summary>
    [Range(0, 100_000)]
    public int DocumentCacheEntries { get; set; } = 256;

    /// <summary><c>__schema</c> and <c>__type</c>: null means on in Development and off elsewhere.</summary>
    public bool? EnableIntrospection { get; set; }
}
