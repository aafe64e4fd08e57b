using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;
using Granary.Tests.Online;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming;

/// <summary>
/// The online path of a stream feature view, on each store that keeps aggregate state: rows pushed (out of order,
/// repeated with their ids, some later than the allowed lateness, across store restarts) and read at many instants
/// answer what a naive reference computes from the events it accepts, applying lateness and ids by their definition.
/// </summary>
public abstract class OnlineIngestContract : OnlineStoreSuite
{
    private static readonly long T0 = StreamEvents.T0;

    /// <summary>
    /// One pushed row: a key of three, an event roughly 90 s after the previous row's slot, up to 15 minutes early
    /// (so some are later than the 10 minutes allowed) or a minute ahead, or a repeat of an earlier row (same id).
    /// </summary>
    private static readonly Gen<(int Key, int Slot, int Jitter, StreamEvent Event, int RepeatOf)> Rows =
        Gen.Zip(
            Gen.Zip(Gen.Choose(1, 3), Gen.Choose(-900, 60)),
            Gen.Zip(StreamEvents.Any, Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, 30)))),
            (a, b) => (a.Item1, 0, a.Item2, b.Item1, b.Item2));

    private static readonly Gen<(int[] Batches, (int Key, int Slot, int Jitter, StreamEvent Event, int RepeatOf)[] Rows, int Restart, int[] Reads)> Scenarios =
        Gen.Choose(1, 28).SelectMany(n => Gen.ArrayOf(Rows, n)).SelectMany(rows =>
            Gen.Zip(
                Gen.Zip(Gen.ArrayOf(Gen.Choose(1, 6), rows.Length), Gen.Choose(0, rows.Length)),
                Gen.ArrayOf(Gen.Choose(0, 5400), 4),
                (a, reads) => (a.Item1, rows, a.Item2, reads)));

    [Property(MaxTest = 30)]
    public Property Pushed_events_read_at_any_instant_equal_the_naive_computation_over_the_accepted_events() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            Task.Run(() => CheckAsync(scenario.Batches, scenario.Rows, scenario.Restart, scenario.Reads)).GetAwaiter().GetResult();
            return true;
        });

    [Fact]
    public async Task A_repeated_event_id_counts_once_across_a_restart_and_the_watermark_survives_it()
    {
        var store = await Create();
        var push = OnlineStreamView.Resolve(OnlineStreamView.View());
        var clock = new FakeTimeProvider(UtcMicros.ToDateTimeOffset(T0 + 3_600_000_000));
        var first = new StreamEvent(T0 + 3_600_000_000, 2.5, 1, "a");
        await Push(store, clock, push, [(7, first, "t1")]);

        store = await Reopen(store);
        var again = await Push(store, clock, push, [(7, first, "t1"), (7, new StreamEvent(T0 + 3_600_000_000 - 11 * 60_000_000L, 1, 1, "b"), "t2")]);
        var (status, eventMicros, values) = await OnlineStreamView.ReadAsync(store, push.Views[0], 7, T0 + 3_600_000_000);

        Assert.Equal(1, again.LateRows);
        Assert.Equal(0, again.OnlineWritten);
        Assert.Equal(FeatureStatus.Present, status);
        Assert.Equal(first.Micros, eventMicros);
        Assert.Equal(1, values[Feature(push, "count_lifetime")].AsInt64());
        Assert.Equal(2.5, values[Feature(push, "sum_amount_lifetime")].AsFloat64());
    }

    [Fact]
    public async Task Concurrent_ingestors_applying_events_of_one_key_lose_none()
    {
        var store = await Create();
        var push = OnlineStreamView.Resolve(OnlineStreamView.View());
        var target = push.Views[0].Stream!.Target;
        var states = StreamFeatureReader.States(store, target.View);
        const int writers = 4;
        const int batches = 10;

        // Four processes' worth of ingestors, each with its own events for the same key, batch after batch.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var ingestor = new StreamIngestor(states, OnlineStreamView.Source, [target], new FakeTimeProvider(UtcMicros.ToDateTimeOffset(T0)), StreamIngestMetrics.For(null));
            for (var b = 0; b < batches; b++)
            {
                var e = new StreamEvent(T0 + (b * 1_000_000L), 1, 1, "m");
                var columns = StreamTestPlan.Columns(target.Plan, e);
                await ingestor.IngestAsync([new Granary.Streaming.Events.StreamEvent(global::Granary.Core.Values.EntityKey.Create(global::Granary.Core.Values.FeatureValue.Int64(1)), e.Micros, columns, $"w{w}-b{b}")]);
            }
        })));

        var (_, _, values) = await OnlineStreamView.ReadAsync(store, push.Views[0], 1, T0 + 60_000_000);
        Assert.Equal(writers * batches, values[Feature(push, "count_lifetime")].AsInt64());
        Assert.Equal(writers * batches, values[Feature(push, "sum_amount_lifetime")].AsFloat64());
    }

    [Fact]
    public async Task A_row_that_does_not_convert_refuses_the_whole_push_and_names_its_column_and_row()
    {
        var store = await Create();
        var push = OnlineStreamView.Resolve(OnlineStreamView.View());
        var clock = new FakeTimeProvider(UtcMicros.ToDateTimeOffset(T0));
        var columns = OnlineStreamView.Columns([(1, new StreamEvent(T0, 1, 1, "a"), "x1"), (2, new StreamEvent(T0, 1, 1, "a"), "x2")]);
        columns["amount"] = [1.0, "lots"];

        var error = await Assert.ThrowsAsync<GranaryException>(() => OnlineStreamView.Pusher(store, clock).PushAsync(
            new PushRequest { PushSourceName = OnlineStreamView.Source, Columns = columns }, push, default));
        columns.Remove("txn_id");
        columns["amount"] = [1.0, 2.0];
        var missing = await Assert.ThrowsAsync<GranaryException>(() => OnlineStreamView.Pusher(store, clock).PushAsync(
            new PushRequest { PushSourceName = OnlineStreamView.Source, Columns = columns }, push, default));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("df.amount[1]:", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidArgument, missing.Code);
        Assert.Contains("'txn_id'", missing.Message, StringComparison.Ordinal);
        Assert.Equal(FeatureStatus.NotFound, (await OnlineStreamView.ReadAsync(store, push.Views[0], 1, T0)).Status);
    }

    [Fact]
    public async Task A_key_whose_events_left_every_window_is_present_with_count_zero_until_its_ttl()
    {
        var store = await Create();
        var push = OnlineStreamView.Resolve(OnlineStreamView.View(ttl: TimeSpan.FromHours(3)));
        var clock = new FakeTimeProvider(UtcMicros.ToDateTimeOffset(T0));
        await Push(store, clock, push, [(5, new StreamEvent(T0, 4, 2, "a"), "e1")]);

        var (twoHours, at, values) = await OnlineStreamView.ReadAsync(store, push.Views[0], 5, T0 + (2 * 3_600_000_000L));
        var (fourHours, staleAt, _) = await OnlineStreamView.ReadAsync(store, push.Views[0], 5, T0 + (4 * 3_600_000_000L));
        var (never, _, _) = await OnlineStreamView.ReadAsync(store, push.Views[0], 6, T0);

        Assert.Equal(FeatureStatus.Present, twoHours);
        Assert.Equal(T0, at);
        Assert.Equal(0, values[Feature(push, "count_1h")].AsInt64());
        Assert.True(values[Feature(push, "sum_amount_1h")].IsNull);
        Assert.Equal(1, values[Feature(push, "count_lifetime")].AsInt64());
        Assert.Equal(FeatureStatus.OutsideMaxAge, fourHours);
        Assert.Equal(T0, staleAt);
        Assert.Equal(FeatureStatus.NotFound, never);
    }

    private async Task CheckAsync(int[] batchSizes, (int Key, int Slot, int Jitter, StreamEvent Event, int RepeatOf)[] generated, int restartAfter, int[] readOffsets)
    {
        var store = await Create();
        var push = OnlineStreamView.Resolve(OnlineStreamView.View());
        var plan = push.Views[0];
        var aggregation = plan.Stream!.Target.Plan;
        var lateness = OnlineStreamView.Lateness.Ticks / TimeSpan.TicksPerMicrosecond;

        // The rows as pushed: out of order around a rising slot, some repeating an earlier row whole.
        var rows = new List<(int Key, StreamEvent Event, string Id)>();
        for (var i = 0; i < generated.Length; i++)
        {
            var g = generated[i];
            if (g.RepeatOf >= 0 && g.RepeatOf < rows.Count)
            {
                rows.Add(rows[g.RepeatOf]);
                continue;
            }

            var micros = T0 + (i * 90_000_000L) + (g.Jitter * 1_000_000L) + (g.Event.Micros % 1_000_000);
            rows.Add((g.Key, g.Event with { Micros = micros }, $"e{i}"));
        }

        // The reference: lateness against the newest event time seen before, then ids per key, by their definition.
        var newest = long.MinValue;
        var accepted = new Dictionary<int, List<StreamEvent>>();
        var ids = new HashSet<(int, string)>();
        var clock = new FakeTimeProvider(UtcMicros.ToDateTimeOffset(T0));
        var next = 0;
        for (var b = 0; next < rows.Count; b++)
        {
            var batch = rows.Skip(next).Take(batchSizes[b % batchSizes.Length]).ToList();
            var late = 0;
            foreach (var (key, e, id) in batch)
            {
                newest = Math.Max(newest, e.Micros);
                if (newest - e.Micros > lateness)
                {
                    late++;
                }
                else if (ids.Add((key, id)))
                {
                    (accepted.TryGetValue(key, out var list) ? list : accepted[key] = []).Add(e);
                }
            }

            var result = await Push(store, clock, push, batch);
            Assert.Equal(late, result.LateRows);
            if (next < restartAfter && next + batch.Count >= restartAfter)
            {
                store = await Reopen(store);
            }

            next += batch.Count;
            foreach (var offset in readOffsets.Take(2))
            {
                await AssertReadsAsync(store, plan, aggregation, accepted, newest + (offset * 1_000_000L));
            }
        }

        foreach (var offset in readOffsets)
        {
            await AssertReadsAsync(store, plan, aggregation, accepted, newest + (offset * 1_000_000L));
        }
    }

    private static async Task AssertReadsAsync(IOnlineStore store, OnlineViewPlan plan, Granary.Streaming.Aggregation.AggregationPlan aggregation, Dictionary<int, List<StreamEvent>> accepted, long now)
    {
        for (var key = 1; key <= 3; key++)
        {
            var (status, eventMicros, values) = await OnlineStreamView.ReadAsync(store, plan, key, now);
            if (!accepted.TryGetValue(key, out var events))
            {
                Assert.Equal(FeatureStatus.NotFound, status);
                continue;
            }

            var keyNewest = events.Max(e => e.Micros);
            Assert.Equal(FeatureStatus.Present, status);
            Assert.Equal(keyNewest, eventMicros);
            // A read answers at an instant no earlier than the key's newest event.
            OnlineStreamView.AssertValues(aggregation, events, Math.Max(now, keyNewest), values, $"key {key}");
        }
    }

    private static int Feature(Granary.Resolution.ResolvedPushSource push, string name) => push.Views[0].Schema.IndexOf(name);

    private static Task<PushResult> Push(IOnlineStore store, FakeTimeProvider clock, Granary.Resolution.ResolvedPushSource push, IEnumerable<(int Key, StreamEvent Event, string Id)> rows) =>
        OnlineStreamView.Pusher(store, clock).PushAsync(new PushRequest { PushSourceName = OnlineStreamView.Source, Columns = OnlineStreamView.Columns(rows) }, push, default);
}
