using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>A value with its event's time, ordered by time and then by value, so ties resolve the same everywhere.</summary>
internal readonly record struct TimedValue(long EventMicros, FeatureValue Value)
{
    /// <summary>Newer events first; at the same instant the larger value first.</summary>
    public static int NewestFirst(TimedValue a, TimedValue b)
    {
        var byTime = b.EventMicros.CompareTo(a.EventMicros);
        return byTime != 0 ? byTime : ScalarValues.Compare(b.Value, a.Value);
    }
}
