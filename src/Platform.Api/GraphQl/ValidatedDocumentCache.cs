using System.Diagnostics.Metrics;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Platform.Api.GraphQl;

/// <summary>
/// Documents that passed validation, by their exact text. A client sends the same few documents with different
/// variables; a repeated one skips parsing and the specification's validation rules, which read the document alone
/// (graphql-dotnet's own document cache makes the same assumption). Our rules (the complexity budget and depth limit,
/// which read <c>first</c> from the variables, and the introspection switch) still run on every request, and so does
/// variable coercion. Bounded by <see cref="GraphQlOptions.DocumentCacheEntries"/>; when full, the least recently used
/// entries are compacted away.
/// graphql-dotnet ships this as GraphQL.MemoryCache, which our package source lacks (docs/api/graphql.md, Limits).
/// </summary>
public sealed class ValidatedDocumentCache : IConfigureExecution, IDisposable
{
    public const string MeterName = "Platform.GraphQl";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "platform.graphql.document_cache.requests", "{request}", "GraphQL documents looked up in the validated-document cache, by result (hit, miss).");
    private static readonly HashSet<IValidationRule> SpecificationRules = [.. DocumentValidator.CoreRules];

    private readonly MemoryCache? _documents;

    public ValidatedDocumentCache(IOptions<GraphQlOptions> options)
    {
        var entries = options.Value.DocumentCacheEntries;
        _documents = entries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = entries }) : null;
    }

    /// <summary>After the <c>Add…</c> configurations (100), which install the validation rules this filters.</summary>
    public float SortOrder => 200;

    /// <summary>The parsed document for <paramref name="query"/> if an earlier request validated it; null otherwise.</summary>
    public GraphQLDocument? Find(string query) => _documents?.Get<GraphQLDocument>(query);

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (_documents is null || options.Query is not { } query)
        {
            return await next(options);
        }
        if (Find(query) is { } validated)
        {
            Requests.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            options.Document = validated;
            options.ValidationRules = [.. (options.ValidationRules ?? DocumentValidator.CoreRules).Where(rule => !SpecificationRules.Contains(rule))];
            return await next(options);
        }
        Requests.Add(1, new KeyValuePair<string, object?>("result", "miss"));
        var result = await next(options);
        // Executed means every rule passed and the variables coerced; a document that failed is parsed and checked again.
        if (result.Executed && options.Document is { } document)
        {
            _documents.Set(query, document, new MemoryCacheEntryOptions { Size = 1 });
        }
        return result;
    }

    public void Dispose() => _documents?.Dispose();
}
