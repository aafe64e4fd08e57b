using Granary.Backfill;
using Granary.Core.Model;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming.Backfill;

/// <summary>Which logged events a backfill reads: those a window at the end (or the ttl) can still reach, all of them with a lifetime window.</summary>
public sealed class BackfillReachTests
{
    private static readonly long T0 = StreamEvents.T0;
    private static readonly long Minute = 60_000_000L;

    private static readonly AggregationPlan Windowed = new(
    [
        new AggregationSpec(Aggregation.Create(AggregationFunction.Sum, "amount", FeatureType.Float64), [StreamTestPlan.TenMinutes, StreamTestPlan.Hour]),
    ]);

    [Fact]
    public void Without_a_lifetime_window_the_read_starts_at_the_oldest_tile_the_widest_window_reads_at_the_end()
    {
        // At 13:05 the 1h window (hop 10m) starts at floor((13:05 - 1h) / 10m) * 10m = 12:00; the 10m window at 12:55.
        var end = T0 + 65 * Minute;

        Assert.Equal(T0, BackfillReach.ReadFrom(Windowed, ttlMicros: 0, startMicros: T0 - 600 * Minute, endMicros: end));
    }

    [Fact]
    public void The_read_never_starts_before_the_range_and_a_longer_ttl_reaches_further_back()
    {
        var end = T0 + 65 * Minute;

        Assert.Equal(T0 + 30 * Minute, BackfillReach.ReadFrom(Windowed, 0, T0 + 30 * Minute, end));
        Assert.Equal(end - 120 * Minute, BackfillReach.ReadFrom(Windowed, 120 * Minute, T0 - 600 * Minute, end));
    }

    [Fact]
    public void A_lifetime_window_reads_every_event_from_the_start()
    {
        var plan = StreamTestPlan.Create();

        Assert.Equal(T0 - 600 * Minute, BackfillReach.ReadFrom(plan, 0, T0 - 600 * Minute, T0 + 65 * Minute));
    }
}
