using Granary.Streaming.Aggregation;

namespace Granary.Backfill;

/// <summary>
/// Which logged events a backfill to <c>end</c> must read: those some feature can still aggregate at <c>end</c> or
/// later. A window of length <c>W</c> and hop <c>h</c> at <c>t &gt;= end</c> reads no event before
/// <c>floor((end - W) / h) * h</c>, and a ttl looks back <c>ttl</c> from <c>t</c>; a <c>lifetime</c> window reads
/// every event, so then the range's start bounds the read. Events older than that bound would only make tiles the
/// state prunes at once, and keys whose events all lie before it hold nothing any read at <c>end</c> sees.
/// </summary>
internal static class BackfillReach
{
    /// <summary>The earliest event time to read, in Unix microseconds: never before <paramref name="startMicros"/>.</summary>
    public static long ReadFrom(AggregationPlan plan, long ttlMicros, long startMicros, long endMicros)
    {
        if (plan.Lifetimes.Count > 0)
        {
            return startMicros;
        }

        var earliest = endMicros;
        foreach (var feature in plan.Features)
        {
            earliest = Math.Min(earliest, Tiles.StartOf(endMicros - feature.Window.LengthMicros, feature.Window.HopMicros));
        }

        if (ttlMicros > 0)
        {
            earliest = Math.Min(earliest, endMicros - ttlMicros);
        }

        return Math.Max(startMicros, earliest);
    }
}
