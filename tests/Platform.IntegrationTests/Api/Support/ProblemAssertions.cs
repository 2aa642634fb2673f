using System.Net;
using System.Text.Json;

namespace Platform.IntegrationTests.Api.Support;

internal static class ProblemAssertions
{
    /// <summary>Asserts a problem+json answer with the status, code, hint and trace id; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("hint").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrEmpty();
        return problem;
    }

    /// <summary>Asserts a 400 VALIDATION_FAILED whose <c>errors</c> name exactly <paramref name="fields"/>.</summary>
    public static async Task ShouldFailValidationOnAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ShouldBe(fields.Order());
    }
}
