namespace Granary.Quality.Drift;

/// <summary>
/// The population stability index Σ (cᵢ − bᵢ)·ln(cᵢ/bᵢ) over bins, where bᵢ and cᵢ are the baseline's and the
/// current sample's proportions in bin i, and a bin empty on one side counts as <see cref="EmptyBinProportion"/>
/// there (without renormalising), so that a category that appears or vanishes adds a large but finite term.
/// </summary>
internal static class PopulationStabilityIndex
{
    public const double EmptyBinProportion = 0.0001;

    public static double Compute(ReadOnlySpan<long> baselineCounts, ReadOnlySpan<long> currentCounts)
    {
        if (baselineCounts.Length != currentCounts.Length)
        {
            throw new ArgumentException("Both samples need the same bins.", nameof(currentCounts));
        }

        double baselineTotal = Sum(baselineCounts), currentTotal = Sum(currentCounts);
        if (baselineTotal == 0 || currentTotal == 0)
        {
            throw new ArgumentException("PSI needs at least one value in each sample.");
        }

        double psi = 0;
        for (int i = 0; i < baselineCounts.Length; i++)
        {
            double b = Proportion(baselineCounts[i], baselineTotal);
            double c = Proportion(currentCounts[i], currentTotal);
            psi += (c - b) * Math.Log(c / b);
        }

        return psi;
    }

    private static double Proportion(long count, double total) => count == 0 ? EmptyBinProportion : count / total;

    internal static double Sum(ReadOnlySpan<long> counts)
    {
        double total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        return total;
    }
}
