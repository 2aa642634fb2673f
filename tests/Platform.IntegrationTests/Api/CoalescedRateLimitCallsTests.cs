using Platform.Api.RateLimiting;
using StackExchange.Redis;

namespace Platform.IntegrationTests.Api;

/// <summary>
/// The coalesced Redis calls of a rate-limit partition (ADR 0040): requests that arrive while a call is out go together in
/// the next one, each still gets its own answer in arrival order, a failure reaches every waiter, and the window's script
/// grants part of a batch exactly as the same requests one by one would be.
/// </summary>
public sealed class CoalescedRateLimitCallsTests(PlatformServers servers)
{
    private static readonly RateLimitPolicyOptions Limits = new() { PermitLimit = 5, WindowSeconds = 60 };

    [Fact]
    public async Task Requests_that_arrive_during_a_call_share_the_next_call_and_keep_their_order()
    {
        var calls = new List<(int Permits, TaskCompletionSource<WindowGrant> Answer)>();
        var coalesced = new CoalescedWindowCalls(permits =>
        {
            var answer = new TaskCompletionSource<WindowGrant>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (calls)
            {
                calls.Add((permits, answer));
            }
            return answer.Task;
        });

        var first = coalesced.AcquireAsync();
        await WaitForAsync(() => calls.Count == 1);
        var waiting = Enumerable.Range(0, 3).Select(_ => coalesced.AcquireAsync()).ToList();
        calls.Select(c => c.Permits).ShouldBe([1], "one call is out; the three that came meanwhile wait for it");

        calls[0].Answer.SetResult(new WindowGrant(1, 0, TimeSpan.FromSeconds(60)));
        (await first).Index.ShouldBe(0);
        await WaitForAsync(() => calls.Count == 2);
        calls[1].Permits.ShouldBe(3);
        calls[1].Answer.SetResult(new WindowGrant(2, 1, TimeSpan.FromSeconds(59)));

        var answers = await Task.WhenAll(waiting);
        answers.Select(a => a.Index).ShouldBe([0, 1, 2]);
        answers.Select(a => a.Grant.Decision(a.Index, "public", Limits).Admitted).ShouldBe([true, true, false]);
        answers.Select(a => a.Grant.Decision(a.Index, "public", Limits).Remaining).ShouldBe([3, 2, 2]);
        calls.Count.ShouldBe(2, "nobody waits any more, so no further call");
    }

    [Fact]
    public async Task A_failed_call_fails_every_request_in_it_and_the_next_request_calls_again()
    {
        var fail = true;
        var coalesced = new CoalescedWindowCalls(_ => fail
            ? Task.FromException<WindowGrant>(new TimeoutException("no answer"))
            : Task.FromResult(new WindowGrant(1, 0, TimeSpan.FromSeconds(60))));

        await Should.ThrowAsync<TimeoutException>(coalesced.AcquireAsync());
        fail = false;
        (await coalesced.AcquireAsync()).Grant.Admitted.ShouldBe(1);
    }

    [Fact]
    public async Task The_window_admits_as_many_of_a_call_s_permits_as_it_has_room_for()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        var window = new RedisSlidingWindow(redis);
        var key = $"test-coalesced-{Guid.NewGuid():N}";

        var grant = await window.AcquireAsync(key, Limits, 3, TimeSpan.FromSeconds(5));
        grant.ShouldBe(grant with { Admitted = 3, CountBefore = 0 });
        var more = await window.AcquireAsync(key, Limits, 4, TimeSpan.FromSeconds(5));
        (more.Admitted, more.CountBefore).ShouldBe((2, 3));
        Enumerable.Range(0, 4).Select(i => more.Decision(i, "public", Limits))
            .Select(d => (d.Admitted, d.Remaining)).ShouldBe([(true, 1), (true, 0), (false, 0), (false, 0)]);
        (await redis.GetDatabase().SortedSetLengthAsync(key)).ShouldBe(5, "one entry per admitted request, none for the refused");
        more.ResetAfter.ShouldBeInRange(TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        condition().ShouldBeTrue();
    }
}
