using System.Collections;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>
/// One feature of one entity at one instant, three ways: the naive definition over the events counted, training data
/// (which must equal it: floats within 1e-9 relative, the sketches' exact counterparts exactly), and the online value
/// (which must equal training data within the same tolerance, and each sketch within its documented error).
/// </summary>
internal static class StreamParityAssert
{
    /// <summary>HyperLogLog over 2^12 registers: exact up to 256 distinct values, then 1.04 / sqrt(4096) relative standard error.</summary>
    private const int ExactDistinct = 256;
    private const double DistinctStandardError = 1.04 / 64;

    /// <summary>The t-digest is exact while every centroid holds one value (about 30); fewer than this are held to exactness.</summary>
    private const int ExactPercentileValues = 20;

    /// <summary>Above that, its documented bound: a rank error under 1%.</summary>
    private const double PercentileRankError = 0.01;

    public static void Agree(AggregationPlan plan, StreamFeature feature, IReadOnlyList<Arrival> counted, long t, object? offline, FeatureValue online, string what)
    {
        what = $"{what}, {feature.Name} at {UtcMicros.ToDateTimeOffset(t):O}";
        var aggregation = plan.Aggregations[feature.AggregationIndex];
        var inWindow = counted
            .Where(e => NaiveWindowAggregation.InWindow(t, feature.Window.LengthMicros, feature.Window.HopMicros, e.Event.Micros))
            .Select(e => (e.Event.Micros, StreamTestPlan.ValueOf(e.Event, aggregation.Column)))
            .ToList();
        var percentile = aggregation.Percentiles.Count > 0 ? aggregation.Percentiles[feature.Output] : 0;
        var expected = NaiveWindowAggregation.Compute(aggregation.Function, inWindow, aggregation.K, percentile);
        var offlineValue = offline is IList list and not Array ? list.Cast<object?>().ToArray() : offline;
        StreamOfflineScenario.AssertValue(expected, offlineValue, "offline, " + what);

        var onlineValue = online.ToObject();
        switch (aggregation.Function)
        {
            case AggregationFunction.ApproxCountDistinct when expected is long distinct && distinct > ExactDistinct:
                var estimate = Convert.ToDouble(onlineValue);
                Assert.True(Math.Abs(estimate - distinct) <= 4 * DistinctStandardError * distinct, $"online, {what}: {estimate} is not within 4 standard errors of {distinct}");
                break;
            case AggregationFunction.ApproxPercentile when inWindow.Count(v => v.Item2 is not null) > ExactPercentileValues:
                AssertRank(inWindow.Where(v => v.Item2 is not null).Select(v => Convert.ToDouble(v.Item2)).Order().ToArray(), percentile / 100, onlineValue, what);
                break;
            default:
                StreamOfflineScenario.AssertValue(offlineValue, onlineValue, "online against offline, " + what);
                break;
        }
    }

    private static void AssertRank(double[] sorted, double q, object? online, string what)
    {
        Assert.NotNull(online);
        var value = Convert.ToDouble(online);
        var last = sorted.Length - 1;
        var lower = sorted[(int)Math.Floor(Math.Max(0, q - PercentileRankError) * last)];
        var upper = sorted[(int)Math.Ceiling(Math.Min(1, q + PercentileRankError) * last)];
        Assert.True(lower <= value && value <= upper, $"online, {what}: {value} is outside [{lower}, {upper}], a rank error of 1%");
    }
}
