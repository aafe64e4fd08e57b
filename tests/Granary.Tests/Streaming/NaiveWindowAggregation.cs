using System.Text;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming;

/// <summary>
/// The definition of a windowed aggregate, computed the slow and obvious way: filter the events by the formula
/// <c>floor((t - W) / h) * h &lt;= e.ts &lt;= t</c> (in decimal arithmetic, not the code's tile arithmetic), drop nulls,
/// and apply the function to the list. What the tiles must agree with.
/// </summary>
internal static class NaiveWindowAggregation
{
    public static bool InWindow(long t, long windowMicros, long hopMicros, long eventMicros)
    {
        if (windowMicros == 0)
        {
            return eventMicros <= t;
        }

        var start = (long)(Math.Floor((decimal)(t - windowMicros) / hopMicros) * hopMicros);
        return start <= eventMicros && eventMicros <= t;
    }

    /// <summary>
    /// The events counted when ids mark redeliveries, in log order: per entity key, an id counts once, its first copy in
    /// the log (the order events arrived in); the same id for another key is another event; an event without an id
    /// always counts.
    /// </summary>
    public static List<T> CountedOnce<T, TKey>(IEnumerable<T> log, Func<T, TKey> key, Func<T, string?> id)
    {
        var seen = new HashSet<(TKey, string)>();
        var counted = new List<T>();
        foreach (var e in log)
        {
            if (id(e) is not { } eventId || seen.Add((key(e), eventId)))
            {
                counted.Add(e);
            }
        }

        return counted;
    }

    /// <summary>The expected value as a CLR object (long, double, string, list) or null.</summary>
    public static object? Compute(AggregationFunction function, IReadOnlyList<(long Micros, object? Value)> inWindow, int k = 0, double percentile = 0)
    {
        var values = inWindow.Where(e => e.Value is not null).ToList();
        switch (function)
        {
            case AggregationFunction.Count:
                return (long)values.Count;
            case AggregationFunction.ApproxCountDistinct:
                return (long)values.Select(v => v.Value).Distinct().Count();
        }

        if (values.Count == 0)
        {
            return null;
        }

        switch (function)
        {
            case AggregationFunction.Sum:
                return values[0].Value is long ? (object)values.Sum(v => (long)v.Value!) : values.Sum(v => Convert.ToDouble(v.Value));
            case AggregationFunction.Mean:
                return values.Average(v => Convert.ToDouble(v.Value));
            case AggregationFunction.Variance:
            case AggregationFunction.Stddev:
                if (values.Count < 2)
                {
                    return null;
                }

                var xs = values.Select(v => Convert.ToDouble(v.Value)).ToList();
                var mean = xs.Average();
                var variance = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1);
                return function == AggregationFunction.Variance ? variance : Math.Sqrt(variance);
            case AggregationFunction.Min:
                return values.Select(v => v.Value!).Order(ValueComparer.Instance).First();
            case AggregationFunction.Max:
                return values.Select(v => v.Value!).Order(ValueComparer.Instance).Last();
            case AggregationFunction.First:
                return values.OrderBy(v => v.Micros).ThenBy(v => v.Value, ValueComparer.Instance).First().Value;
            case AggregationFunction.Last:
                return values.OrderBy(v => v.Micros).ThenBy(v => v.Value, ValueComparer.Instance).Last().Value;
            case AggregationFunction.LastK:
                return values.OrderByDescending(v => v.Micros).ThenByDescending(v => v.Value, ValueComparer.Instance)
                    .Take(k).Select(v => v.Value).ToArray();
            case AggregationFunction.ApproxPercentile:
                return QuantileCont(values.Select(v => Convert.ToDouble(v.Value)), percentile / 100);
            default:
                throw new ArgumentOutOfRangeException(nameof(function), function, null);
        }
    }

    /// <summary>SQL's <c>quantile_cont</c>: linear interpolation between the sorted values at position q * (n - 1).</summary>
    public static double QuantileCont(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>Numbers by value; strings by their UTF-8 bytes (code-point order), independently of the code's comparison.</summary>
    private sealed class ValueComparer : IComparer<object?>
    {
        public static readonly ValueComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)),
            (long a, long b) => a.CompareTo(b),
            _ => Convert.ToDouble(x).CompareTo(Convert.ToDouble(y)),
        };
    }
}
