using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Client;
using Granary.Client.Retries;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Client;

/// <summary>Which failures the client retries, how long it waits between attempts, and that it stops when told.</summary>
public sealed class RetryTests
{
    [Theory]
    [InlineData(503, true, true, false, false, true)]
    [InlineData(null, true, false, false, false, true)]
    [InlineData(400, false, true, false, false, false)]
    [InlineData(404, false, true, false, false, false)]
    [InlineData(500, false, true, false, false, false)]
    [InlineData(503, true, true, true, false, false)]
    [InlineData(503, true, true, true, true, true)]
    [InlineData(null, true, false, true, false, true)]
    [InlineData(409, false, true, true, true, false)]
    public void Only_transient_failures_are_retried_and_a_write_only_when_a_repeat_is_safe(
        int? status, bool transient, bool reached, bool isWrite, bool hasKey, bool expected)
    {
        var failure = new GranaryClientException("code", "detail", status, transient, reached);

        Assert.Equal(expected, RetryPolicy.ShouldRetry(failure, isWrite ? OperationKind.Write : OperationKind.Read, hasKey));
    }

    [Property(MaxTest = 300)]
    public Property Every_delay_is_below_its_bound_and_the_bound_doubles_up_to_the_cap() =>
        Prop.ForAll(
            Gen.Zip(Gen.Choose(0, 2000), Gen.Choose(0, 60_000)).ToArbitrary(),
            Gen.Zip(Gen.Choose(0, 40), Gen.Choose(0, 999_999)).ToArbitrary(),
            (delays, draw) =>
            {
                var (baseMs, maxMs) = delays;
                var (retry, sample) = draw;
                var baseDelay = TimeSpan.FromMilliseconds(baseMs);
                var maxDelay = TimeSpan.FromMilliseconds(maxMs);
                var backoff = new Backoff(baseDelay, maxDelay, () => sample / 1_000_000d);
                var cap = maxDelay < baseDelay ? baseDelay : maxDelay;
                var expectedBound = TimeSpan.FromTicks((long)Math.Min(cap.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(retry, 30))));
                var delay = backoff.Delay(retry);
                return backoff.Bound(retry) == expectedBound
                    && delay >= TimeSpan.Zero
                    && (delay < expectedBound || expectedBound == TimeSpan.Zero)
                    && backoff.Bound(retry + 1) >= backoff.Bound(retry);
            });

    [Fact]
    public void Full_jitter_spreads_delays_over_the_whole_bound()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var delays = Enumerable.Range(0, 2000).Select(_ => backoff.Delay(3).TotalMilliseconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 0, 800));
        Assert.True(delays.Min() < 100, "some delays are near zero");
        Assert.True(delays.Max() > 700, "some delays are near the bound");
    }

    [Fact]
    public async Task A_transient_read_failure_is_retried_after_a_delay_on_the_options_clock()
    {
        var clock = new FakeTimeProvider();
        var transport = new FakeTransport();
        transport.Failures.Enqueue(FakeTransport.Unavailable());
        using var client = FakeTransport.Client(transport, o =>
        {
            o.TimeProvider = clock;
            o.RetryBaseDelay = TimeSpan.FromSeconds(10);
            o.RetryMaxDelay = TimeSpan.FromSeconds(10);
        });

        var read = client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]));
        await WaitUntilAsync(() => transport.Reads.Count == 1);
        Assert.False(read.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(10));
        var answer = await read.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, transport.Reads.Count);
        Assert.Equal(10, answer.GetInt64(0, "v:a"));
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_between_attempts_at_once()
    {
        var clock = new FakeTimeProvider();
        var transport = new FakeTransport();
        transport.Failures.Enqueue(FakeTransport.Unavailable());
        using var client = FakeTransport.Client(transport, o =>
        {
            o.TimeProvider = clock;
            o.RetryBaseDelay = TimeSpan.FromHours(1);
            o.RetryMaxDelay = TimeSpan.FromHours(1);
        });
        using var cancel = new CancellationTokenSource();

        var read = client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]), cancel.Token);
        await WaitUntilAsync(() => transport.Reads.Count == 1);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(transport.Reads);
    }

    [Fact]
    public async Task A_4xx_is_thrown_after_one_attempt_with_the_servers_code()
    {
        var transport = new FakeTransport();
        transport.Failures.Enqueue(FakeTransport.BadRequest());
        using var client = FakeTransport.Client(transport);

        var e = await Assert.ThrowsAsync<GranaryClientException>(() =>
            client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L])));

        Assert.Equal("invalid_argument", e.Code);
        Assert.Single(transport.Reads);
    }

    [Fact]
    public async Task The_retries_end_after_retry_count_attempts_with_the_last_failure()
    {
        var transport = new FakeTransport();
        for (var i = 0; i < 10; i++)
        {
            transport.Failures.Enqueue(FakeTransport.Unavailable());
        }

        using var client = FakeTransport.Client(transport, o => o.RetryCount = 2);

        var e = await Assert.ThrowsAsync<GranaryClientException>(() =>
            client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L])));

        Assert.True(e.IsTransient);
        Assert.Equal(3, transport.Reads.Count);
    }

    [Fact]
    public async Task A_push_that_may_have_been_applied_is_retried_only_with_an_idempotency_key()
    {
        var transport = new FakeTransport();
        using var client = FakeTransport.Client(transport);
        transport.Failures.Enqueue(FakeTransport.Unavailable(reached: true));
        await Assert.ThrowsAsync<GranaryClientException>(() => client.PushAsync(new PushRequest("src").AddRow(("user_id", 1L))));
        Assert.Equal(1, transport.Pushes);

        transport.Failures.Enqueue(FakeTransport.Unavailable(reached: true));
        var keyed = await client.PushAsync(new PushRequest("src") { IdempotencyKey = "k1" }.AddRow(("user_id", 1L)));
        Assert.Equal(3, transport.Pushes);
        Assert.Equal(1, keyed.Rows);

        transport.Failures.Enqueue(FakeTransport.Unavailable(reached: false));
        await client.WriteToOnlineStoreAsync(new WriteToOnlineStoreRequest("view").AddRow(("user_id", 1L)));
        Assert.Equal(5, transport.Pushes);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
