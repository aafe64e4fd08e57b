using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming;

/// <summary>
/// The tiles against the definition: random events (out of order, with ties on time and value, nulls, late arrivals
/// after a read) are applied to one key's state, and every feature read at several instants equals
/// <see cref="NaiveWindowAggregation"/> over the same events. Event counts stay small enough that the sketches are
/// exact (distinct counts below the sparse limit, percentiles below the t-digest's first merge); their accuracy
/// beyond is tested on its own.
/// </summary>
public sealed class WindowedAggregationTests
{
    private static readonly long T0 = StreamEvents.T0;

    /// <summary>Events in arrival order, where to read in between, and how far past the newest event each read is.</summary>
    private static readonly Gen<(StreamEvent[] Events, int Split, int Later1, int Later2)> Scenarios =
        Gen.Choose(0, 28).SelectMany(n => Gen.ArrayOf(StreamEvents.Any, n)).SelectMany(events =>
            Gen.Zip(Gen.Choose(0, events.Length), Gen.Zip(Gen.Choose(0, 3600), Gen.Choose(0, 5400)),
                (split, later) => (events, split, later.Item1, later.Item2)));

    [Property(MaxTest = 200)]
    public Property Every_feature_at_every_read_equals_the_definition_over_the_events_seen() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var plan = StreamTestPlan.Create();
            var key = new KeyAggregates(plan);
            var first = scenario.Events[..scenario.Split];

            Apply(plan, key, first);
            var t1 = (first.Length == 0 ? T0 : first.Max(e => e.Micros)) + scenario.Later1 * 1_000_000L;
            AssertAt(plan, key, first, t1);

            Apply(plan, key, scenario.Events[scenario.Split..]);
            var t2 = (scenario.Events.Length == 0 ? T0 : scenario.Events.Max(e => e.Micros)) + scenario.Later2 * 1_000_000L;
            AssertAt(plan, key, scenario.Events, t2);
            AssertAt(plan, key, scenario.Events, t2 + 7_200_000_000L);
            return true;
        });

    [Property(MaxTest = 100)]
    public Property States_built_apart_and_merged_answer_as_one_state_built_from_all_events() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var plan = StreamTestPlan.Create();
            var left = new KeyAggregates(plan);
            var right = new KeyAggregates(plan);
            Apply(plan, left, scenario.Events[..scenario.Split]);
            Apply(plan, right, scenario.Events[scenario.Split..]);
            left.Merge(right);

            var t = (scenario.Events.Length == 0 ? T0 : scenario.Events.Max(e => e.Micros)) + scenario.Later1 * 1_000_000L;
            AssertAt(plan, left, scenario.Events, t);
            return true;
        });

    [Property(MaxTest = 100)]
    public Property A_state_written_and_read_back_answers_as_before() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var plan = StreamTestPlan.Create();
            var key = new KeyAggregates(plan);
            Apply(plan, key, scenario.Events);

            var stored = new System.Buffers.ArrayBufferWriter<byte>();
            key.Write(new StateWriter(stored));
            var reread = KeyAggregates.Read(stored.WrittenSpan, plan);

            Assert.Equal(key.NewestEventMicros, reread.NewestEventMicros);
            var t = (scenario.Events.Length == 0 ? T0 : scenario.Events.Max(e => e.Micros)) + scenario.Later2 * 1_000_000L;
            AssertAt(plan, reread, scenario.Events, t);
            return true;
        });

    [Fact]
    public void The_old_edge_moves_in_hops_and_the_newest_events_count_at_once()
    {
        // 1h with a 10m hop, read at 12:34:56: the window starts at floor((11:34:56) / 10m) * 10m = 11:30:00.
        var window = Window.Sliding(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
        var plan = new AggregationPlan([new AggregationSpec(Aggregation.Create(AggregationFunction.Count, null, null), [window])]);
        var key = new KeyAggregates(plan);
        var noon = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        foreach (var at in new[] { noon.AddMinutes(-30).AddTicks(-10), noon.AddMinutes(-30), noon.AddMinutes(34).AddSeconds(56) })
        {
            key.Apply([], UtcMicros.From(at));
        }

        var values = new FeatureValue[1];
        key.ValuesAt(UtcMicros.From(noon.AddMinutes(34).AddSeconds(56)), values);
        Assert.Equal(2, values[0].AsInt64());

        // At 12:39:59 the edge is still 11:30; at 12:40:00 it moves to 11:40 and the 11:30 event leaves.
        key.ValuesAt(UtcMicros.From(noon.AddMinutes(39).AddSeconds(59)), values);
        Assert.Equal(2, values[0].AsInt64());
        key.ValuesAt(UtcMicros.From(noon.AddMinutes(40)), values);
        Assert.Equal(1, values[0].AsInt64());
    }

    [Fact]
    public void A_key_keeps_at_most_one_tile_per_hop_of_its_longest_window_whatever_the_event_rate()
    {
        var plan = StreamTestPlan.Create();
        var key = new KeyAggregates(plan);
        var columns = StreamTestPlan.Columns(plan, new StreamEvent(T0, 1, 1, "a"));
        for (var second = 0; second < 6 * 3600; second++)
        {
            key.Apply(columns, T0 + second * 1_000_000L);
        }

        // Series: per aggregation and hop, (longest window / hop) + 1 tiles at most: the window's tiles and the head's.
        var bound = plan.Series.Sum(s => (int)(s.LongestWindowMicros / s.HopMicros) + 1);
        Assert.InRange(key.TileCount, 1, bound);
    }

    private static void Apply(AggregationPlan plan, KeyAggregates key, IEnumerable<StreamEvent> events)
    {
        foreach (var e in events)
        {
            key.Apply(StreamTestPlan.Columns(plan, e), e.Micros);
        }
    }

    private static void AssertAt(AggregationPlan plan, KeyAggregates key, IReadOnlyList<StreamEvent> events, long t)
    {
        var values = new FeatureValue[plan.Features.Count];
        key.ValuesAt(t, values);
        for (var f = 0; f < values.Length; f++)
        {
            var feature = plan.Features[f];
            var aggregation = plan.Aggregations[feature.AggregationIndex];
            var inWindow = events
                .Where(e => NaiveWindowAggregation.InWindow(t, feature.Window.LengthMicros, feature.Window.HopMicros, e.Micros))
                .Select(e => (e.Micros, StreamTestPlan.ValueOf(e, aggregation.Column)))
                .ToList();
            var expected = NaiveWindowAggregation.Compute(
                aggregation.Function, inWindow, aggregation.K, aggregation.Percentiles.Count > 0 ? aggregation.Percentiles[feature.Output] : 0);
            ValueAssert.Equal(expected, values[f], $"{feature.Name} at {UtcMicros.ToDateTimeOffset(t):O}");
        }
    }
}
