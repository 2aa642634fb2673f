using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Platform.IntegrationTests.Feeds.Support;

/// <summary>A GraphQL request as the fake received it.</summary>
public sealed record NivodaRequest(string OperationName, string Query, JsonElement Variables);

/// <summary>
/// A recorded-response stand-in for Nivoda's GraphQL endpoint. It checks every request is a JSON POST to the
/// configured endpoint with <c>operationName</c>, <c>query</c> and <c>variables</c>, keeps it for assertions, and
/// answers from recorded fixtures: queued answers for an operation first, then the operation's default recording.
/// </summary>
public sealed class RecordedNivoda
{
    public const string Authenticate = "Authenticate";
    public const string Count = "GetDiamondsCount";
    public const string Search = "DiamondsByQuery";

    private static readonly Dictionary<string, string> Defaults = new()
    {
        [Authenticate] = "nivoda-authenticate.json",
        [Count] = "nivoda-count.json",
        [Search] = "nivoda-search.json",
    };

    private readonly ConcurrentQueue<NivodaRequest> requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(HttpStatusCode Status, string Body)>> queued = new();

    public IReadOnlyList<NivodaRequest> Requests => [.. requests];

    public IReadOnlyList<NivodaRequest> RequestsFor(string operation) => [.. requests.Where(r => r.OperationName == operation)];

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Feeds", "Fixtures", name));

    /// <summary>The next answers to <paramref name="operation"/>, in order, before its default recording.</summary>
    public void Queue(string operation, string body, HttpStatusCode status = HttpStatusCode.OK) =>
        queued.GetOrAdd(operation, _ => new()).Enqueue((status, body));

    public HttpMessageHandler CreateHandler() => new Handler(this);

    private HttpResponseMessage Answer(NivodaRequest request)
    {
        requests.Enqueue(request);
        var (status, body) = queued.TryGetValue(request.OperationName, out var answers) && answers.TryDequeue(out var next)
            ? next
            : (HttpStatusCode.OK, Fixture(Defaults[request.OperationName]));
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private sealed class Handler(RecordedNivoda fake) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Method.ShouldBe(HttpMethod.Post);
            request.RequestUri.ShouldBe(new Uri(TestFeeds.NivodaEndpoint));
            request.Content!.Headers.ContentType!.MediaType.ShouldBe(new MediaTypeHeaderValue("application/json").MediaType);
            using var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
            var root = body.RootElement;
            var operation = root.GetProperty("operationName").GetString()!;
            var query = root.GetProperty("query").GetString()!;
            query.ShouldContain($"query {operation}(");
            return fake.Answer(new NivodaRequest(operation, query, root.GetProperty("variables").Clone()));
        }
    }
}
