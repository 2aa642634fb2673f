using System.Globalization;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;

namespace Platform.Api.GraphQl;

/// <summary>
/// The complexity budget (ADR 0025) on graphql-dotnet's analyzer. Every field costs 1; a list multiplies its children by
/// the <c>first</c> of the field or of its connection (<c>diamonds(first: 100) { edges { node { … } } }</c> counts the
/// node's fields 100 times), and by 5 where nothing bounds it; introspection fields cost 1 each. Over the budget the document is refused before it runs,
/// with <c>GRAPHQL_TOO_COMPLEX</c> and the computed and allowed numbers.
/// </summary>
public static class ComplexityBudget
{
    public static void Configure(ComplexityOptions complexity, GraphQlOptions options)
    {
        complexity.MaxDepth = options.MaxDepth;
        // Introspection lists are as long as our schema is, not as a client asks: each of its fields costs 1 with no list
        // multiplier, so the standard introspection query costs about its field count (aliased copies still add up).
        var defaults = complexity.DefaultComplexityImpactDelegate;
        complexity.DefaultComplexityImpactDelegate = context =>
            context.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal) || context.ParentType.Name.StartsWith("__", StringComparison.Ordinal)
                ? new FieldComplexityResult(1, 1)
                : defaults(context);
        // Checked here rather than by MaxComplexity, so the error is ours: its own code and the numbers as extensions.
        complexity.MaxComplexity = null;
        complexity.ValidateComplexityDelegate = context =>
        {
            if (context.TotalImpact > options.MaxComplexity)
            {
                context.Error = new TooComplexError(context.TotalImpact, options.MaxComplexity);
            }
            return Task.CompletedTask;
        };
    }
}

/// <summary>A document over the complexity budget; the endpoint puts both numbers in <c>extensions.complexity</c> and <c>extensions.maxComplexity</c>.</summary>
public sealed class TooComplexError : ValidationError
{
    public TooComplexError(double complexity, int maxComplexity)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"The document's complexity is {Math.Ceiling(complexity)}; at most {maxComplexity} is allowed. Ask for fewer items ('first') or fewer nested fields, or split the query."))
    {
        Complexity = Math.Ceiling(complexity);
        MaxComplexity = maxComplexity;
    }

    public double Complexity { get; }

    public int MaxComplexity { get; }
}
