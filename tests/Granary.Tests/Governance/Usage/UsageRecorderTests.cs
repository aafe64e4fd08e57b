using Granary.Governance;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Governance.Usage;

/// <summary>The batched usage recorder: folding, flushing each interval and on dispose, the bounded queue, failed writes.</summary>
public sealed class UsageRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly UsedFeature[] Service = [new("user_stats:orders_7d", "1.0.0"), new("item_info:price", "2.1.0")];

    private static UsageRecorder Recorder(RecordingCatalogStore store, FakeTimeProvider time, ILogger? logger = null, int capacity = 1000, int batchSize = 500) =>
        new(store, "shop", new UsageRecorderOptions { FlushInterval = TimeSpan.FromSeconds(1), QueueCapacity = capacity, BatchSize = batchSize, Environment = "staging" },
            time, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Uses_of_one_feature_version_by_one_model_fold_into_one_row_with_their_count_and_latest_time()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        await using var recorder = Recorder(store, time);

        recorder.Record(Service, "ranker");
        time.Advance(TimeSpan.FromMilliseconds(300));
        recorder.Record(Service, "ranker");
        recorder.Record(Service, "other_model");
        time.Advance(TimeSpan.FromMilliseconds(700));
        await EventuallyAsync(() => !store.Batches.IsEmpty);

        var rows = store.Rows.OrderBy(r => r.UsedByModel, StringComparer.Ordinal).ThenBy(r => r.FeatureName, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                ("item_info:price", "2.1.0", "other_model", 1L), ("user_stats:orders_7d", "1.0.0", "other_model", 1L),
                ("item_info:price", "2.1.0", "ranker", 2L), ("user_stats:orders_7d", "1.0.0", "ranker", 2L),
            ],
            rows.Select(r => (r.FeatureName, r.FeatureVersion, r.UsedByModel, r.Count)));
        Assert.All(rows, r => Assert.Equal(("shop", "staging"), (r.Project, r.Environment)));
        Assert.Equal(Start.AddMilliseconds(300), rows.Single(r => r is { UsedByModel: "ranker", FeatureName: "item_info:price" }).UsageTimestamp);
    }

    [Fact]
    public async Task Nothing_is_written_before_the_flush_interval_passes()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        await using var recorder = Recorder(store, time);

        recorder.Record(Service, "ranker");
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(100);

        Assert.Empty(store.Batches);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => !store.Batches.IsEmpty);
    }

    [Fact]
    public async Task Each_interval_writes_only_the_uses_since_the_previous_flush()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        await using var recorder = Recorder(store, time);

        recorder.Record(Service, "ranker");
        time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => store.Batches.Count == 1);
        recorder.Record(Service, "ranker");
        recorder.Record(Service, "ranker");
        recorder.Record(Service, "ranker");
        await EventuallyAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return store.Batches.Count == 2;
        });

        Assert.Equal([1L, 3L], store.Batches.Select(b => b[0].Count));
    }

    [Fact]
    public async Task Disposing_writes_what_is_still_queued()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        var recorder = Recorder(store, time);
        recorder.Record(Service, "ranker");
        recorder.Record(Service, "ranker");

        await recorder.DisposeAsync();

        Assert.Equal(2, store.Rows.Count);
        Assert.All(store.Rows, r => Assert.Equal(2, r.Count));
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_without_blocking_and_logs_once()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        var log = new CapturedLog();
        await using var recorder = Recorder(store, time, log, capacity: 3);

        var accepted = Enumerable.Range(0, 10).Count(_ => recorder.Record(Service, "ranker"));

        Assert.Equal(3, accepted);
        Assert.Equal(7, recorder.Dropped);
        Assert.Single(log.Entries, e => e.Message.Contains("queue is full", StringComparison.Ordinal));
        await recorder.FlushAsync();
        Assert.All(store.Rows, r => Assert.Equal(3, r.Count));
    }

    [Fact]
    public async Task Uses_counted_while_flushes_retire_idle_counters_are_all_written_once()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        await using var recorder = Recorder(store, time, capacity: 1_000_000);
        UsedFeature[][] snapshots = [Service, [.. Service], [.. Service]];
        var accepted = 0L;

        using var done = new CancellationTokenSource();
        var flushing = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await recorder.FlushAsync();
            }
        });
        await Parallel.ForAsync(0, 4, async (worker, _) =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                // Switching arrays leaves counters idle, so flushes retire them while others still count.
                if (recorder.Record(snapshots[(i / 97 + worker) % snapshots.Length], "ranker"))
                {
                    Interlocked.Increment(ref accepted);
                }

                if (i % 1000 == 0)
                {
                    await Task.Yield();
                }
            }
        });
        await done.CancelAsync();
        await flushing;
        await recorder.FlushAsync();

        Assert.Equal(80_000, accepted);
        Assert.Equal(accepted * Service.Length, store.Rows.Sum(r => r.Count));
    }

    [Fact]
    public async Task A_failed_write_is_logged_and_its_batch_dropped_and_the_next_flush_writes_again()
    {
        var store = new RecordingCatalogStore { FailNext = 1 };
        var time = new FakeTimeProvider(Start);
        var log = new CapturedLog();
        await using var recorder = Recorder(store, time, log);

        Assert.True(recorder.Record(Service, "ranker"));
        await recorder.FlushAsync();
        recorder.Record(Service, "second");
        await recorder.FlushAsync();

        Assert.Single(log.Entries, e => e.Message.Contains("database is locked", StringComparison.Ordinal));
        Assert.Equal(["second", "second"], store.Rows.Select(r => r.UsedByModel));
    }

    [Fact]
    public async Task Rows_are_written_in_batches_of_the_batch_size()
    {
        var store = new RecordingCatalogStore();
        var time = new FakeTimeProvider(Start);
        await using var recorder = Recorder(store, time, batchSize: 3);
        for (var i = 0; i < 4; i++)
        {
            recorder.Record(Service, $"model_{i}");
        }

        await recorder.FlushAsync();

        Assert.Equal([3, 3, 2], store.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Recording_after_dispose_drops_without_throwing()
    {
        var store = new RecordingCatalogStore();
        var recorder = Recorder(store, new FakeTimeProvider(Start));
        await recorder.DisposeAsync();

        Assert.False(recorder.Record(Service, "ranker"));
        Assert.Empty(store.Batches);
    }
}
