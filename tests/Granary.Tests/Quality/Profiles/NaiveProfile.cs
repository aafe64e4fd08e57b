using Granary.Quality.Profiles;

namespace Granary.Tests.Quality.Profiles;

/// <summary>The reference a profiler must agree with: each statistic from its textbook definition, over values in memory.</summary>
internal static class NaiveProfile
{
    public static double Mean(IReadOnlyList<double> values) => values.Sum() / values.Count;

    public static double SampleStdDev(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>The quantile with linear interpolation between the closest ranks (PostgreSQL's percentile_cont, DuckDB's quantile_cont).</summary>
    public static double Quantile(IReadOnlyList<double> values, double level)
    {
        var sorted = values.Order().ToArray();
        var position = level * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }

    /// <summary>Counts per equal-width bin, each value placed by the documented rule.</summary>
    public static long[] Bins(IReadOnlyList<double> values)
    {
        var layout = HistogramLayout.For(values.Min(), values.Max())!.Value;
        var counts = new long[layout.Bins];
        foreach (var value in values)
        {
            counts[layout.BinOf(value)]++;
        }

        return counts;
    }

    public static List<CategoryCount> Categories(IEnumerable<string> values) =>
        [.. values.GroupBy(v => v, StringComparer.Ordinal)
            .Select(g => new CategoryCount(g.Key, g.LongCount()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)];
}
