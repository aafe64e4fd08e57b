using System.Diagnostics;
using System.Globalization;

namespace Granary.LoadGenerator;

/// <summary>Percentiles of latencies in <see cref="Stopwatch"/> ticks, as the result lines print them (ms).</summary>
internal static class LatencyStats
{
    public static string Percentiles(long[] ticks)
    {
        var sorted = Sorted(ticks);
        return sorted.Length == 0
            ? "no samples"
            : string.Create(CultureInfo.InvariantCulture,
                $"p50 {Ms(Percentile(sorted, 0.50)):F3} p90 {Ms(Percentile(sorted, 0.90)):F3} p99 {Ms(Percentile(sorted, 0.99)):F3} p99.9 {Ms(Percentile(sorted, 0.999)):F3} max {Ms(sorted[^1]):F3}");
    }

    public static long[] Sorted(long[] values)
    {
        Array.Sort(values);
        return values;
    }

    public static long Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
