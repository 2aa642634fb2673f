using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Domain.Tenancy;
using Platform.Infrastructure.Tenancy;
using Platform.IntegrationTests.Api.Support;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// Every mapped route — found from the api's own endpoint table, so a new route is covered without touching this
/// test — driven with generated bad input: malformed route values, hostile query values, broken or mistyped JSON,
/// wrong content types, oversize bodies and odd headers. Whatever the answer, it is never a 5xx.
/// </summary>
public sealed class MalformedInputTests(PlatformServers servers)
{
    /// <summary>At least this many requests (PLATFORM §7); <c>PLATFORM_MALFORMED_REQUESTS</c> raises it.</summary>
    private static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_MALFORMED_REQUESTS"), out var n) && n > 5_000 ? n : 5_000;

    private static readonly string[] RouteValues =
    [
        "not-a-uuid", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "0", "-1", "99999999999999999999999",
        "1e309", "NaN", "..%2F..%2Fetc%2Fpasswd", "%F0%9F%92%8E", "' OR 1=1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", new string('a', 2_000),
        "%E2%80%AE", "null", "true", "%20", "%C0%AF", // %00 is refused by the HTTP stack before routing (TestServer throws, Kestrel answers 400).
    ];

    private static readonly string[] QueryNames =
    [
        "limit", "cursor", "sort", "order", "shape", "color", "clarity", "cut", "polish", "symmetry", "fluorescence", "availability",
        "caratMin", "caratMax", "priceMin", "priceMax", "labGrown", "feedId", "from", "to", "format", "groupBy", "interval", "status",
        "type", "includeInactive", "runId", "action", "actor", "targetType", "query", "variables", "operationName", "unknownParameter",
    ];

    private static readonly string[] QueryValues =
    [
        "", "-1", "0", "101", "2147483648", "99999999999999999999999999999", "-99999999999999999999", "1e309", "NaN", "Infinity", "0x1F",
        "1.5e3", "true", "yes", "%00", "%F0%9F%92%8E%F0%9F%92%8E", "%E2%80%AE%E2%80%AD", "'%3B DROP TABLE diamonds%3B--", "%22%7D%7B%22",
        "{{7*7}}", "${jndi:ldap://x}", "2026-02-30T25:61:00Z", "0001-01-01", "9999-12-31T23:59:59Z", new string('Z', 5_000), "ROUND,ROUND,ROUND",
        "%5B%5D", "%7B%7D", "null", "undefined",
    ];

    private static readonly string[] JsonBodies =
    [
        "", "{", "}", "[]", "null", "true", "0", "\"text\"", "{\"a\":", "{\"ids\": \"not-a-list\"}", "{\"ids\": [1, 2, 3]}", "{\"ids\": [null]}",
        "{\"name\": 12345, \"scopes\": \"admin\"}", "{\"priority\": \"high\", \"markupRatio\": [1]}", "{\"priority\": 1e400}",
        "{\"priority\": 99999999999999999999999999999999, \"markupRatio\": -1e308}", "{\"caratMin\": \"NaN\", \"caratMax\": null}",
        "{\"reference\": " + new string('[', 2_000) + new string(']', 2_000) + "}", "{\"type\": \"\\u0000\"}", "{\"reference\": \"\\ud800\"}",
        "{\"name\": \"💎💎💎\", \"expiresAt\": \"yesterday\"}", "{\"expiresAt\": \"0001-01-01T00:00:00Z\", \"scopes\": [\"platform:admin\"]}",
        "{\"runningCapacity\": -5, \"rpmRead\": \"∞\"}", "{\"query\": 42}", "{\"query\": \"{ diamonds(first: 100000) { nodes { id } } }\"}",
        "{\"__proto__\": {\"admin\": true}}", "{\"shapes\": [" + string.Join(',', Enumerable.Repeat("\"ROUND\"", 500)) + "]}",
        "{\"a\": \"" + new string('x', 100_000) + "\"}",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=utf-16",
    ];

    /// <summary>Over the 1 MiB body limit; one shared instance.</summary>
    private static readonly string OversizeBody = new('{', 1_100_000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Generated_bad_input_on_every_route_never_gets_a_5xx()
    {
        await using var api = await TwoTenantApi.StartAsync(servers);
        var operatorKey = await CreateOperatorKeyAsync(api);
        var routes = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Method: method, Pattern: endpoint.RoutePattern)))
            .Where(route => route.Method != HttpMethods.Options)
            .ToList();
        routes.Count.ShouldBeGreaterThan(20);
        var keys = new[] { api.A.AdminKey, api.A.ReaderKey, operatorKey, "plat_" + new string('0', 38), "" };
        using var client = api.Factory.CreateClient();
        var random = new Random(20261130);
        var plans = Enumerable.Range(0, Requests).Select(i => Plan(routes[i % routes.Count], keys, random)).ToList();

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (plan, token) =>
        {
            using var request = plan.Build();
            using var response = await client.SendAsync(request, token);
            lock (statuses)
            {
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{(int)response.StatusCode} {plan}");
                }
            }
        });

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{plans.Count} requests over {routes.Count} routes: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        failures.Take(20).ShouldBeEmpty();
        statuses.Values.Sum().ShouldBe(plans.Count);
    }

    private static RequestPlan Plan((string Method, Microsoft.AspNetCore.Routing.Patterns.RoutePattern Pattern) route, string[] keys, Random random)
    {
        var path = new StringBuilder();
        foreach (var segment in route.Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    // A real-looking id half the time, so the handler's own validation runs, not only the route constraint.
                    _ => random.Next(2) == 0 ? Guid.NewGuid().ToString() : Pick(random, RouteValues),
                });
            }
        }
        var query = string.Join('&', Enumerable.Range(0, random.Next(0, 5)).Select(_ => $"{Pick(random, QueryNames)}={Pick(random, QueryValues)}"));
        var hasBody = route.Method is not ("GET" or "HEAD" or "DELETE") || random.Next(4) == 0;
        return new RequestPlan(
            route.Method,
            query.Length == 0 ? path.ToString() : $"{path}?{query}",
            Pick(random, keys),
            hasBody ? (random.Next(50) == 0 ? OversizeBody : Pick(random, JsonBodies)) : null,
            Pick(random, ContentTypes),
            random.Next(3) == 0 ? Pick(random, QueryValues) : null);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static async Task<string> CreateOperatorKeyAsync(TwoTenantApi api)
    {
        await using var connection = await api.Database.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var key = await api.Factory.Services.GetRequiredService<ApiKeyStore>().CreateAsync(
            connection, transaction, null, "operator", [Scopes.PlatformAdmin], null, "system:test", Ct);
        await transaction.CommitAsync(Ct);
        return key.Token;
    }

    private sealed record RequestPlan(string Method, string Target, string Key, string? Body, string ContentType, string? OddHeader)
    {
        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Target);
            if (Key.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("X-API-Key", Key);
            }
            if (OddHeader is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", OddHeader);
                request.Headers.TryAddWithoutValidation("If-None-Match", OddHeader);
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", OddHeader);
            }
            if (Body is not null)
            {
                request.Content = new StringContent(Body, Encoding.UTF8);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(ContentType, out var type) ? type : null;
            }
            return request;
        }

        public override string ToString() => $"{Method} {Truncate(Target)} body={Truncate(Body ?? "(none)")} type={ContentType} header={Truncate(OddHeader ?? "")}";

        private static string Truncate(string text) => text.Length > 160 ? text[..160] + $"…({text.Length})" : text;
    }
}
