using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;
using Platform.Api.RateLimiting;

namespace Platform.Api.GraphQl;

/// <summary>
/// GraphQL over HTTP (ADR 0006, docs/api/graphql.md) over graphql-dotnet's executer: POST with a JSON body and GET for
/// queries; <c>application/graphql-response+json</c> or <c>application/json</c> by the Accept header; status codes as
/// the spec asks for each (a document that does not parse or validate is 400 with graphql-response+json, 200 with
/// application/json, because legacy clients read the body of 200 only).
/// </summary>
public sealed class GraphQlEndpoint(
    IDocumentExecuter<ISchema> executer, IGraphQLSerializer serializer, IOptions<GraphQlOptions> options, ValidatedDocumentCache documents,
    PolicyPermits permits, ILogger<GraphQlEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var request = context.Request;
        if (GraphQlMediaTypes.Negotiate(request) is not { } mediaType)
        {
            // The spec lets a server answer 406 when it can produce none of the accepted types.
            context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            return;
        }
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !GraphQlMediaTypes.IsJsonBody(request))
        {
            await WriteRequestErrorAsync(context, mediaType, ErrorCatalog.UnsupportedMediaType, "Send the request as 'Content-Type: application/json'.");
            return;
        }
        var (parameters, problem) = isGet ? GraphQlRequest.ReadQueryString(request) : await GraphQlRequest.ReadBodyAsync(request, cancellationToken);
        if (parameters is null)
        {
            await WriteRequestErrorAsync(context, mediaType, ErrorCatalog.ValidationFailed, problem!);
            return;
        }
        var limit = options.Value.MaxDocumentBytes;
        if (Encoding.UTF8.GetByteCount(parameters.Query) > limit)
        {
            await WriteRequestErrorAsync(context, mediaType, ErrorCatalog.PayloadTooLarge, $"The GraphQL document may be at most {limit} bytes.");
            return;
        }

        // Parsed here once (or found validated), so GET can refuse mutations before anything runs; the executer reuses the
        // document. A document that does not parse goes to the executer as text, which reports the syntax error in the
        // GraphQL way.
        var document = documents.Find(parameters.Query);
        try
        {
            document ??= GraphQLParser.Parser.Parse(parameters.Query);
        }
        catch (GraphQLSyntaxErrorException)
        {
            document = null;
        }
        var operation = document is null ? null : SelectedOperation(document, parameters.OperationName);
        if (isGet && operation is { Operation: OperationType.Mutation or OperationType.Subscription })
        {
            context.Response.Headers.Allow = "POST";
            await WriteRequestErrorAsync(context, mediaType, ErrorCatalog.MethodNotAllowed, "Mutations only run over POST.");
            return;
        }
        // The route's limiter counted the request as a catalog read before the body was known; a mutation writes, so it
        // also needs a catalog-write permit, like REST's POST and PUT (docs/api/graphql.md, Limits).
        if (operation is { Operation: OperationType.Mutation })
        {
            using var lease = await permits.AcquireAsync(context, RateLimitPolicies.CatalogWrite);
            if (!lease.IsAcquired)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await RateLimitHeaders.WriteRejectionAsync(context);
                return;
            }
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = parameters.Query,
            Document = document,
            OperationName = parameters.OperationName,
            Variables = parameters.Variables is { } variables ? serializer.ReadNode<Inputs>(variables) : Inputs.Empty,
            Extensions = parameters.Extensions is { } extensions ? serializer.ReadNode<Inputs>(extensions) : Inputs.Empty,
            User = context.User,
            RequestServices = context.RequestServices,
            CancellationToken = cancellationToken,
        });
        AssignCodes(result);

        // Not executed = the request failed before execution (syntax, validation, variable coercion): a request error.
        context.Response.StatusCode = !result.Executed && mediaType == GraphQlMediaTypes.GraphQlResponse
            ? StatusCodes.Status400BadRequest
            : StatusCodes.Status200OK;
        await WriteAsync(context, mediaType, result);
    }

    /// <summary>The operation the request runs, by name or the only one; null when that is ambiguous (validation reports it).</summary>
    private static GraphQLOperationDefinition? SelectedOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(operation => operation.Name?.StringValue == operationName);
    }

    /// <summary>Every error gets a code of the shared catalogue (or GraphQL's own two); resolver failures are logged, not shown.</summary>
    private void AssignCodes(ExecutionResult result)
    {
        foreach (var error in result.Errors ?? [])
        {
            switch (error)
            {
                case SyntaxError:
                    error.Code = ErrorCatalog.GraphQlParseFailed.Code;
                    break;
                case TooComplexError tooComplex:
                    error.Code = ErrorCatalog.GraphQlTooComplex.Code;
                    error.Extensions ??= new Dictionary<string, object?>();
                    error.Extensions["complexity"] = tooComplex.Complexity;
                    error.Extensions["maxComplexity"] = tooComplex.MaxComplexity;
                    break;
                case ValidationError:
                    error.Code = ErrorCatalog.GraphQlValidationFailed.Code;
                    break;
                case UnhandledError unhandled:
                    logger.LogError(unhandled.InnerException, "A GraphQL resolver failed: {Message}", unhandled.Message);
                    error.Code = ErrorCatalog.Internal.Code;
                    break;
                default:
                    // Errors thrown by our resolvers carry a catalogue code already (GraphQlErrors).
                    error.Code ??= ErrorCatalog.Internal.Code;
                    break;
            }
        }
    }

    private async Task WriteRequestErrorAsync(HttpContext context, string mediaType, ErrorDefinition definition, string message)
    {
        var result = new ExecutionResult { Executed = false, Errors = [new ExecutionError(message) { Code = definition.Code }] };
        context.Response.StatusCode = definition.Status;
        await WriteAsync(context, mediaType, result);
    }

    private async Task WriteAsync(HttpContext context, string mediaType, ExecutionResult result)
    {
        context.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }
}
