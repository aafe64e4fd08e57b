using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Backfill;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming.Backfill;

/// <summary>
/// Backfill end to end, on each online store: a repository's logged events, <see cref="FeatureStore.BackfillAsync"/>,
/// then what serving answers against what get-historical computes from the same log at the same instant (the
/// training-data path, in SQL), for every function; the range's edges, repeated ids, pushes after a backfill, and
/// what a backfill refuses.
/// </summary>
public abstract class BackfillContract
{
    private static readonly long T0 = StreamEvents.T0;

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    [Property(MaxTest = 12)]
    public Property After_a_backfill_every_feature_online_at_the_end_equals_get_historical_at_the_end() =>
        Prop.ForAll(StreamOfflineScenario.Events.ToArbitrary(), Gen.Choose(0, 5400).ToArbitrary(), (events, later) =>
        {
            Task.Run(async () =>
            {
                // The range covers every event; the end is at or after the newest, up to 90 minutes later.
                var newest = events.Length == 0 ? T0 : events.Max(e => e.Event.Micros);
                var end = newest + (later * 1_000_000L);
                await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, end);

                var result = await repo.Store.BackfillAsync(BackfillRepository.View, At(T0 - 1), At(end));

                Assert.Equal(events.Select(e => e.Key).Distinct().Count(), result.Keys);
                Assert.Equal(events.Length, result.Events + result.Duplicates);
                await repo.AssertOnlineEqualsHistoricalAsync(1, 2, 3, 4);
            }).GetAwaiter().GetResult();
            return true;
        });

    [Fact]
    public async Task Events_before_the_start_or_after_the_end_are_not_counted_and_those_on_either_edge_are()
    {
        var (start, end) = (T0 + Minutes(10), T0 + Minutes(40));
        LoggedEvent[] events =
        [
            Event(1, start - 1, 1.0, "before"),
            Event(1, start, 2.0, "at-start"),
            Event(1, start + Minutes(15), 4.0, "inside"),
            Event(1, end, 8.0, "at-end"),
            Event(1, end + 1, 16.0, "after"),
        ];
        await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, end);

        var result = await repo.Store.BackfillAsync(BackfillRepository.View, At(start), At(end));

        Assert.Equal((3L, 0L, 1L), (result.Events, result.Duplicates, result.Keys));
        Assert.Equal(At(start), result.ReadFrom);   // a lifetime window reads from the start
        Assert.Equal(3L, (await repo.ReadAsync(1, "count_lifetime")).Value.AsInt64());
        Assert.Equal(14.0, (await repo.ReadAsync(1, "sum_amount_lifetime")).Value.AsFloat64());
        Assert.Equal(end, await repo.WatermarkAsync());
        var newest = await repo.ReadOnlineAsync(1);
        Assert.Equal(end, newest["count_lifetime"].EventTimestamps[0]);
    }

    [Fact]
    public async Task A_repeated_event_id_counts_once_for_its_key_and_the_same_id_of_another_key_counts_for_that_key()
    {
        LoggedEvent[] events =
        [
            Event(1, T0, 1.0, "t1"),
            Event(1, T0, 1.0, "t1"),
            Event(1, T0 + Minutes(1), 2.0, "t2"),
            Event(2, T0 + Minutes(2), 4.0, "t1"),
        ];
        await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, T0 + Minutes(5));
        var reports = new Reports();

        var result = await repo.Store.BackfillAsync(BackfillRepository.View, At(T0), At(T0 + Minutes(5)), reports);

        Assert.Equal((3L, 1L, 2L), (result.Events, result.Duplicates, result.Keys));
        Assert.Equal(new BackfillProgress(BackfillRepository.View, 0, 4), reports.First());
        Assert.Equal(new BackfillProgress(BackfillRepository.View, 4, 4), reports.Last());
        Assert.Equal(2L, (await repo.ReadAsync(1, "count_lifetime")).Value.AsInt64());
        Assert.Equal(3.0, (await repo.ReadAsync(1, "sum_amount_lifetime")).Value.AsFloat64());
        Assert.Equal(1L, (await repo.ReadAsync(2, "count_lifetime")).Value.AsInt64());
    }

    [Fact]
    public async Task Pushes_after_a_backfill_continue_its_state_and_a_redelivered_backfilled_event_counts_once()
    {
        LoggedEvent[] events = [Event(1, T0, 1.0, "t1"), Event(1, T0 + Minutes(20), 2.0, "t2"), Event(2, T0 + Minutes(25), 4.0, "t3")];
        var end = T0 + Minutes(30);
        await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, end);
        await repo.Store.BackfillAsync(BackfillRepository.View, At(T0), At(end));

        repo.Time.SetUtcNow(At(end + Minutes(5)));
        var late = await repo.PushAsync(Event(1, T0 + Minutes(10), 32.0, "t5"));
        var redelivered = await repo.PushAsync(events[1], Event(1, end + Minutes(4), 8.0, "t4"));

        // The backfill moved the watermark to its newest event (t3, at 25m): t5, 15 minutes behind it, is later than
        // the 10 minutes allowed. t2, 5 minutes behind, is within them, and counts once because its id was backfilled.
        Assert.Equal(1, late.LateRows);
        Assert.Equal((0, 1), (redelivered.LateRows, redelivered.OnlineWritten));
        Assert.Equal(3L, (await repo.ReadAsync(1, "count_lifetime")).Value.AsInt64());
        Assert.Equal(11.0, (await repo.ReadAsync(1, "sum_amount_lifetime")).Value.AsFloat64());
        await repo.AssertOnlineEqualsHistoricalAsync(1, 2, 3);
    }

    [Fact]
    public async Task Backfilling_the_same_range_again_leaves_every_value_as_it_was()
    {
        LoggedEvent[] events = [Event(1, T0, 1.0, "t1"), Event(1, T0 + Minutes(3), 2.0, "t2"), Event(2, T0 + Minutes(7), 4.0, null)];
        var end = T0 + Minutes(8);
        await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, end);
        await repo.Store.BackfillAsync(BackfillRepository.View, At(T0), At(end));
        var first = await repo.ReadOnlineAsync(1, 2);

        await repo.Store.BackfillAsync(BackfillRepository.View, At(T0), At(end));
        var second = await repo.ReadOnlineAsync(1, 2);

        foreach (var feature in BackfillRepository.Features)
        {
            for (var key = 0; key < 2; key++)
            {
                ValueAssert.Equal(first[feature].Values[key].ToObject(), second[feature].Values[key], $"{feature} of user {key + 1}");
            }
        }

        Assert.Equal(2L, second["count_lifetime"].Values[0].AsInt64());
    }

    [Fact]
    public async Task An_end_before_the_sources_watermark_is_refused_before_any_state_is_written()
    {
        LoggedEvent[] events = [Event(1, T0, 1.0, "t1"), Event(2, T0 + Minutes(1), 2.0, "t2")];
        await using var repo = await BackfillRepository.CreateAsync(OnlineStoreYaml(), events, T0 + Minutes(10));
        await repo.PushAsync(Event(3, T0 + Minutes(10), 4.0, "t3"));

        var e = await Assert.ThrowsAsync<GranaryException>(() => repo.Store.BackfillAsync(BackfillRepository.View, At(T0), At(T0 + Minutes(5))));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("--end 2026-03-01T12:05:00Z is before the newest event source 'txn_push' has delivered (2026-03-01T12:10:00Z)", e.Message, StringComparison.Ordinal);
        Assert.Equal(FeatureStatus.NotFound, (await repo.ReadAsync(1, "count_lifetime")).Status);
        Assert.Equal(1L, (await repo.ReadAsync(3, "count_lifetime")).Value.AsInt64());
    }

    /// <summary>Every report, as it is made (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class Reports : List<BackfillProgress>, IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => Add(value);
    }

    internal static LoggedEvent Event(int key, long micros, double amount, string? id) => new(key, new StreamEvent(micros, amount, 1, "m"), id);

    internal static DateTimeOffset At(long micros) => UtcMicros.ToDateTimeOffset(micros);

    internal static long Minutes(int minutes) => minutes * 60_000_000L;
}

/// <summary>Backfill into the embedded online store.</summary>
public sealed class BackfillEmbeddedTests : BackfillContract
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

/// <summary>Backfill into a real Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class BackfillRedisTests(RedisServer redis) : BackfillContract
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}
