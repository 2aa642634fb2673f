using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Platform.Api.GraphQl;

/// <summary>
/// graphql-dotnet's serial strategy, with the fields of a selection set collected once per execution and object type
/// instead of once per object. graphql-dotnet collects them again for every object it completes: for a page of 50
/// stones that is 50 walks of the same selection set and 50 × 25 field lookups by name (<c>ComplexGraphType.GetField</c>
/// scans the type's field list), 12 % of the api's CPU in the GraphQL search profile (docs/performance.md). The result
/// depends only on the selection set, the object type and the request's variables (through <c>@skip</c>/<c>@include</c>),
/// so it is kept in the request's <see cref="ExecutionContext.UserContext"/>, never shared between requests.
/// </summary>
public sealed class CatalogExecutionStrategy : SerialExecutionStrategy
{
    private const string CollectedFieldsKey = "platform.collectedFields";

    protected override void SetSubFieldNodes(ExecutionContext context, ObjectExecutionNode parent)
    {
        var parentType = parent.GetObjectGraphType(context.Schema) ?? parent.GraphType!;
        if (parent.SelectionSet is not { } selectionSet)
        {
            base.SetSubFieldNodes(context, parent);
            return;
        }
        var fields = CollectedFields(context, parentType, selectionSet);
        var subFields = new ExecutionNode[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var (field, definition) = fields[i];
            subFields[i] = BuildExecutionNode(parent, definition.ResolvedType!, field, definition);
        }
        parent.SubFields = subFields;
    }

    private (GraphQLField Field, FieldType Definition)[] CollectedFields(ExecutionContext context, IGraphType parentType, GraphQLSelectionSet selectionSet)
    {
        if (context.UserContext.TryGetValue(CollectedFieldsKey, out var value) && value is Dictionary<(GraphQLSelectionSet, IGraphType), (GraphQLField, FieldType)[]> collected)
        {
            if (collected.TryGetValue((selectionSet, parentType), out var known))
            {
                return known;
            }
        }
        else
        {
            collected = [];
            context.UserContext[CollectedFieldsKey] = collected;
        }
        var fields = CollectFieldsFrom(context, parentType, selectionSet, null).Values.ToArray();
        collected[(selectionSet, parentType)] = fields;
        return fields;
    }
}
