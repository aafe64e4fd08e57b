using System.Diagnostics.CodeAnalysis;

namespace Granary.Streaming.Aggregation;

/// <summary>The names functions have in definitions and in feature names (<c>sum</c>, <c>approx_count_distinct</c>).</summary>
internal static class AggregationFunctions
{
    private static readonly (AggregationFunction Function, string Name)[] Names =
    [
        (AggregationFunction.Count, "count"),
        (AggregationFunction.Sum, "sum"),
        (AggregationFunction.Mean, "mean"),
        (AggregationFunction.Min, "min"),
        (AggregationFunction.Max, "max"),
        (AggregationFunction.Variance, "variance"),
        (AggregationFunction.Stddev, "stddev"),
        (AggregationFunction.First, "first"),
        (AggregationFunction.Last, "last"),
        (AggregationFunction.LastK, "last_k"),
        (AggregationFunction.ApproxCountDistinct, "approx_count_distinct"),
        (AggregationFunction.ApproxPercentile, "approx_percentile"),
    ];

    /// <summary>Every name, in the order above, for error messages that list what is accepted.</summary>
    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static string NameOf(AggregationFunction function) => Names[(int)function].Name;

    public static bool TryParse([NotNullWhen(true)] string? name, out AggregationFunction function)
    {
        foreach (var (f, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                function = f;
                return true;
            }
        }

        function = default;
        return false;
    }

    /// <summary>Whether the function needs a column (every one but <c>count</c>, which counts events without one).</summary>
    public static bool NeedsColumn(AggregationFunction function) => function != AggregationFunction.Count;
}
