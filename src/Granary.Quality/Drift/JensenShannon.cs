namespace Granary.Quality.Drift;

/// <summary>
/// The Jensen-Shannon distance in base 2 between two binned samples, as scipy's
/// <c>spatial.distance.jensenshannon(p, q, base=2)</c>: √(½·KL(p‖m) + ½·KL(q‖m)) with m = (p + q)/2 and logarithms
/// in base 2, so it lies in [0, 1]. Empty bins need no floor: 0·log 0 counts as 0.
/// </summary>
internal static class JensenShannon
{
    public static double Distance(ReadOnlySpan<long> baselineCounts, ReadOnlySpan<long> currentCounts)
    {
        if (baselineCounts.Length != currentCounts.Length)
        {
            throw new ArgumentException("Both samples need the same bins.", nameof(currentCounts));
        }

        double baselineTotal = PopulationStabilityIndex.Sum(baselineCounts);
        double currentTotal = PopulationStabilityIndex.Sum(currentCounts);
        if (baselineTotal == 0 || currentTotal == 0)
        {
            throw new ArgumentException("The Jensen-Shannon distance needs at least one value in each sample.");
        }

        double divergence = 0;
        for (int i = 0; i < baselineCounts.Length; i++)
        {
            double p = baselineCounts[i] / baselineTotal, q = currentCounts[i] / currentTotal;
            double mean = (p + q) / 2;
            divergence += RelativeEntropy(p, mean) + RelativeEntropy(q, mean);
        }

        // Rounding can leave a tiny negative sum for identical samples.
        return Math.Sqrt(Math.Max(0.0, divergence / 2 / Math.Log(2)));
    }

    private static double RelativeEntropy(double x, double y) => x > 0 ? x * Math.Log(x / y) : 0.0;
}
