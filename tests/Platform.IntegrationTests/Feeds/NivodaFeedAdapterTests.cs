using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Domain.Ingestion.Feeds;
using Platform.Infrastructure.Feeds;
using Platform.Infrastructure.Feeds.Nivoda;
using Platform.IntegrationTests.Feeds.Support;

namespace Platform.IntegrationTests.Feeds;

/// <summary>The Nivoda GraphQL adapter against recorded Nivoda answers.</summary>
public sealed class NivodaFeedAdapterTests
{
    private static readonly DateTimeOffset From = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2025, 6, 2, 12, 30, 0, TimeSpan.Zero);

    private readonly RecordedNivoda nivoda = new();

    [Fact]
    public async Task Count_sends_the_half_open_price_range_as_an_inclusive_dollar_range_with_the_session_token()
    {
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Nivoda());

        var count = await adapter.CountAsync(new FeedQuery(1_000, 1_100, From, To), CancellationToken.None);

        count.ShouldBe(1284);
        var login = nivoda.RequestsFor(RecordedNivoda.Authenticate).ShouldHaveSingleItem();
        login.Query.ShouldContain("username_and_password(username: $username, password: $password)");
        login.Variables.GetProperty("username").GetString().ShouldBe("api-user@example.com");
        login.Variables.GetProperty("password").GetString().ShouldBe(TestFeeds.NivodaPassword);
        var variables = nivoda.RequestsFor(RecordedNivoda.Count).ShouldHaveSingleItem().Variables;
        variables.GetProperty("token").GetString().ShouldEndWith("recorded-token-1");
        var query = variables.GetProperty("query");
        query.GetProperty("dollar_value").GetProperty("from").GetInt32().ShouldBe(1_000);
        query.GetProperty("dollar_value").GetProperty("to").GetInt32().ShouldBe(1_099);
        query.GetProperty("updated").GetProperty("from").GetString().ShouldBe("2025-06-01T00:00:00.000Z");
        query.GetProperty("updated").GetProperty("to").GetString().ShouldBe("2025-06-02T12:30:00.000Z");
    }

    [Fact]
    public async Task Search_asks_for_one_page_in_created_order_and_keeps_each_item_verbatim()
    {
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);
        var adapter = host.Adapter(TestFeeds.Nivoda());

        var page = await adapter.SearchAsync(new FeedQuery(0, 20_000, From, To), offset: 60, limit: 30, CancellationToken.None);

        var variables = nivoda.RequestsFor(RecordedNivoda.Search).ShouldHaveSingleItem().Variables;
        variables.GetProperty("offset").GetInt32().ShouldBe(60);
        variables.GetProperty("limit").GetInt32().ShouldBe(30);
        variables.GetProperty("order").GetProperty("type").GetString().ShouldBe("createdAt");
        variables.GetProperty("order").GetProperty("direction").GetString().ShouldBe("ASC");
        variables.GetProperty("query").GetProperty("dollar_value").GetProperty("to").GetInt32().ShouldBe(19_999);

        page.Items.Select(stone => stone.SupplierStoneId).ShouldBe(
            ["9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9", "c0ffee00-1234-4abc-9def-0123456789ab"]);
        page.Items[0].OfferId.ShouldBe("DIAMOND/cdb3e7f6-3a0b-4c6e-9a51-0d1f2e3a4b5c");
        page.Items.ShouldAllBe(stone => stone.SourceUpdatedAt == To);
        var recorded = JsonNode.Parse(RecordedNivoda.Fixture("nivoda-search.json"))!["data"]!["as"]!["diamonds_by_query"]!["items"]!.AsArray();
        for (var i = 0; i < page.Items.Count; i++)
        {
            JsonNode.DeepEquals(JsonNode.Parse(page.Items[i].PayloadJson), recorded[i]).ShouldBeTrue($"item {i} was not kept verbatim");
        }
    }

    [Fact]
    public async Task Concurrent_calls_share_one_authentication_and_later_calls_reuse_the_token()
    {
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);
        var feed = TestFeeds.Nivoda();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Adapter(feed).CountAsync(TestFeeds.Everything, CancellationToken.None)));
        await host.Adapter(feed).SearchAsync(TestFeeds.Everything, 0, 30, CancellationToken.None);

        nivoda.RequestsFor(RecordedNivoda.Authenticate).Count.ShouldBe(1);
        nivoda.RequestsFor(RecordedNivoda.Count).Count.ShouldBe(8);
    }

    [Fact]
    public async Task A_token_is_renewed_five_minutes_before_it_expires()
    {
        var clock = new ShiftableClock();
        var expires = clock.GetUtcNow().AddMinutes(20).ToUnixTimeMilliseconds();
        nivoda.Queue(RecordedNivoda.Authenticate, Token("first", expires));
        nivoda.Queue(RecordedNivoda.Authenticate, Token("second", expires + 3_600_000));
        await using var host = FeedTestHost.Start(nivoda.CreateHandler, clock: clock);
        var adapter = host.Adapter(TestFeeds.Nivoda());

        await adapter.CountAsync(TestFeeds.Everything, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(14));
        await adapter.CountAsync(TestFeeds.Everything, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        await adapter.CountAsync(TestFeeds.Everything, CancellationToken.None);

        nivoda.RequestsFor(RecordedNivoda.Authenticate).Count.ShouldBe(2);
        nivoda.RequestsFor(RecordedNivoda.Count).Select(r => r.Variables.GetProperty("token").GetString()).ShouldBe(["first", "first", "second"]);
    }

    [Fact]
    public async Task A_refused_token_is_replaced_once_and_the_call_repeated()
    {
        nivoda.Queue(RecordedNivoda.Count, RecordedNivoda.Fixture("nivoda-error-token.json"));
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);

        var count = await host.Adapter(TestFeeds.Nivoda()).CountAsync(TestFeeds.Everything, CancellationToken.None);

        count.ShouldBe(1284);
        nivoda.RequestsFor(RecordedNivoda.Authenticate).Count.ShouldBe(2);
        nivoda.RequestsFor(RecordedNivoda.Count).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_validation_error_in_a_200_answer_fails_at_once_without_retry()
    {
        nivoda.Queue(RecordedNivoda.Search, RecordedNivoda.Fixture("nivoda-error-validation.json"));
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);

        var failure = await Should.ThrowAsync<NivodaGraphQlException>(
            () => host.Adapter(TestFeeds.Nivoda()).SearchAsync(TestFeeds.Everything, 0, 30, CancellationToken.None));

        failure.IsTransient.ShouldBeFalse();
        failure.Code.ShouldBe("GRAPHQL_VALIDATION_FAILED");
        failure.Message.ShouldContain("Cannot query field");
        nivoda.RequestsFor(RecordedNivoda.Search).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_server_side_error_in_a_200_answer_is_retried_until_the_search_succeeds()
    {
        nivoda.Queue(RecordedNivoda.Search, RecordedNivoda.Fixture("nivoda-error-internal.json"));
        nivoda.Queue(RecordedNivoda.Search, RecordedNivoda.Fixture("nivoda-error-internal.json"));
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);

        var page = await host.Adapter(TestFeeds.Nivoda()).SearchAsync(TestFeeds.Everything, 0, 30, CancellationToken.None);

        page.Items.Count.ShouldBe(3);
        nivoda.RequestsFor(RecordedNivoda.Search).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Wrong_credentials_fail_authentication_without_retry_and_send_no_data_call()
    {
        nivoda.Queue(RecordedNivoda.Authenticate, RecordedNivoda.Fixture("nivoda-error-credentials.json"));
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);

        var failure = await Should.ThrowAsync<NivodaGraphQlException>(
            () => host.Adapter(TestFeeds.Nivoda()).CountAsync(TestFeeds.Everything, CancellationToken.None));

        failure.IsTransient.ShouldBeFalse();
        failure.Message.ShouldContain("Invalid username or password");
        nivoda.RequestsFor(RecordedNivoda.Authenticate).Count.ShouldBe(1);
        nivoda.RequestsFor(RecordedNivoda.Count).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_password_secret_is_named_without_calling_nivoda()
    {
        await using var host = FeedTestHost.Start(nivoda.CreateHandler);
        var feed = TestFeeds.Nivoda(secretRef: "nivoda-unknown");

        var failure = await Should.ThrowAsync<FeedConfigurationException>(
            () => host.Adapter(feed).CountAsync(TestFeeds.Everything, CancellationToken.None));

        failure.Message.ShouldContain(feed.Id.ToString());
        failure.Message.ShouldContain("FeedSecrets:nivoda-unknown");
        nivoda.Requests.ShouldBeEmpty();
    }

    private static string Token(string token, long expiresMilliseconds) =>
        JsonSerializer.Serialize(new { data = new { authenticate = new { username_and_password = new { token, expires = expiresMilliseconds } } } });
}
