using System.Collections.Concurrent;
using Granary.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Quality.ServingLog;

public sealed class ServingSamplerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static ServedRow Row(int i) =>
        new("users", new Dictionary<string, object?> { ["user_id"] = (long)i }, DateTimeOffset.UnixEpoch.AddSeconds(i), [(long)i], [true]);

    private static ServingSampler<ServedRow> Sampler(
        Func<IReadOnlyList<ServedRow>, CancellationToken, Task> write, TimeProvider time, int capacity = 100, int batch = 3, double rate = 1.0) =>
        new(rate, write, time, new ServingSamplerOptions(capacity, batch, Interval), ServingLogMetrics.For(null), NullLogger.Instance);

    private static void WaitFor(Func<bool> condition) =>
        Assert.True(SpinWait.SpinUntil(condition, Patience), "the background writer did not get there in time");

    [Fact]
    public async Task Rows_are_written_in_batches_by_count_then_by_time()
    {
        var time = new FakeTimeProvider();
        var batches = new ConcurrentQueue<long[]>();
        await using var sampler = Sampler((rows, _) =>
        {
            batches.Enqueue([.. rows.Select(r => (long)r.Entity["user_id"]!)]);
            return Task.CompletedTask;
        }, time);

        for (var i = 0; i < 7; i++)
        {
            sampler.Offer(Row(i));
        }

        WaitFor(() => sampler.Logged == 6);
        Assert.Equal(2, batches.Count);

        // The seventh row waits for more until the flush interval has passed on the store's clock.
        // The clock is moved until the writer, which may not be waiting yet, sees the interval pass.
        WaitFor(() =>
        {
            time.Advance(Interval);
            return sampler.Logged == 7;
        });
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), batches.SelectMany(b => b));
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 3));
        Assert.Equal(0, sampler.Dropped);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_without_blocking()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sampler = Sampler((_, _) => release.Task, new FakeTimeProvider(), capacity: 2, batch: 1);
        for (var i = 0; i < 10; i++)
        {
            sampler.Offer(Row(i));
        }

        // The writer holds at most one row while blocked, the queue two more: the rest were dropped at once.
        Assert.InRange(sampler.Dropped, 7, 10);
        release.SetResult();
        await sampler.DisposeAsync();
        Assert.Equal(10, sampler.Logged + sampler.Dropped);
        Assert.InRange(sampler.Logged, 0, 3);
    }

    [Fact]
    public async Task Dispose_writes_what_is_queued()
    {
        var written = new ConcurrentQueue<ServedRow>();
        var sampler = Sampler((rows, _) =>
        {
            foreach (var row in rows)
            {
                written.Enqueue(row);
            }

            return Task.CompletedTask;
        }, new FakeTimeProvider(), batch: 100);
        for (var i = 0; i < 5; i++)
        {
            sampler.Offer(Row(i));
        }

        await sampler.DisposeAsync();
        Assert.Equal(5, sampler.Logged);
        Assert.Equal(5, written.Count);
    }

    [Fact]
    public async Task A_failed_write_drops_its_rows_and_the_writer_goes_on()
    {
        var calls = 0;
        var sampler = Sampler((rows, _) =>
            Interlocked.Increment(ref calls) == 1 ? throw new IOException("disk full") : Task.CompletedTask,
            new FakeTimeProvider(), batch: 2);
        for (var i = 0; i < 4; i++)
        {
            sampler.Offer(Row(i));
        }

        await sampler.DisposeAsync();
        Assert.Equal(2, sampler.Dropped);
        Assert.Equal(2, sampler.Logged);
    }

    [Fact]
    public async Task The_draw_keeps_about_the_rate_of_rows()
    {
        await using var sampler = Sampler((_, _) => Task.CompletedTask, new FakeTimeProvider(), rate: 0.25);
        const int draws = 100_000;
        var kept = 0;
        for (var i = 0; i < draws; i++)
        {
            kept += sampler.ShouldSample() ? 1 : 0;
        }

        // Binomial(100000, 0.25) has a standard deviation of about 137: six of them either side.
        Assert.InRange(kept, 25_000 - 822, 25_000 + 822);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_rate_outside_zero_to_one_has_no_sampler(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler((_, _) => Task.CompletedTask, new FakeTimeProvider(), rate: rate));
}
