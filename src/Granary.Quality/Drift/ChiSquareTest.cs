using MathNet.Numerics;

namespace Granary.Quality.Drift;

/// <summary>
/// Pearson's chi-square test of homogeneity on the 2 × k table of baseline and current counts per category, as
/// scipy's <c>stats.chi2_contingency(table, correction=False)</c>: no Yates continuity correction, k − 1 degrees
/// of freedom, and the p-value from the chi-square survival function.
/// </summary>
internal static class ChiSquareTest
{
    /// <param name="baselineCounts">The baseline's count per category; every category has a count on some side.</param>
    /// <param name="currentCounts">The current sample's count per category, in the same order.</param>
    public static ChiSquareResult Homogeneity(ReadOnlySpan<long> baselineCounts, ReadOnlySpan<long> currentCounts)
    {
        if (baselineCounts.Length != currentCounts.Length)
        {
            throw new ArgumentException("Both samples need the same categories.", nameof(currentCounts));
        }

        double baselineTotal = PopulationStabilityIndex.Sum(baselineCounts);
        double currentTotal = PopulationStabilityIndex.Sum(currentCounts);
        double total = baselineTotal + currentTotal;
        if (baselineTotal == 0 || currentTotal == 0)
        {
            throw new ArgumentException("The chi-square test needs at least one value in each sample.");
        }

        double statistic = 0;
        for (int i = 0; i < baselineCounts.Length; i++)
        {
            double column = baselineCounts[i] + currentCounts[i];
            if (column == 0)
            {
                throw new ArgumentException($"Category {i} has no values in either sample.");
            }

            double expectedBaseline = column * baselineTotal / total;
            double expectedCurrent = column * currentTotal / total;
            statistic += Square(baselineCounts[i] - expectedBaseline) / expectedBaseline;
            statistic += Square(currentCounts[i] - expectedCurrent) / expectedCurrent;
        }

        int degreesOfFreedom = baselineCounts.Length - 1;
        if (degreesOfFreedom == 0)
        {
            // One category: the table cannot show any difference (scipy answers 0 and 1 too).
            return new ChiSquareResult(0.0, 1.0, 0);
        }

        // The upper regularized gamma function is the survival function without the cancellation of 1 − CDF.
        double pValue = SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2.0);
        return new ChiSquareResult(statistic, Math.Clamp(pValue, 0.0, 1.0), degreesOfFreedom);
    }

    /// <summary>
    /// Pearson's chi-square goodness-of-fit test of counts per category against expected shares, as scipy's
    /// <c>stats.chisquare(observed, total * shares)</c>: k − 1 degrees of freedom over the categories with a share
    /// above 0. A count in a category whose share is 0 cannot happen under the shares, so its p-value is 0.
    /// </summary>
    /// <param name="observed">The count per category.</param>
    /// <param name="shares">The expected share per category, in the same order, summing to 1.</param>
    public static ChiSquareResult GoodnessOfFit(ReadOnlySpan<long> observed, ReadOnlySpan<double> shares)
    {
        if (observed.Length != shares.Length)
        {
            throw new ArgumentException("Every category needs a share.", nameof(shares));
        }

        double total = PopulationStabilityIndex.Sum(observed);
        if (total == 0)
        {
            throw new ArgumentException("The chi-square test needs at least one count.", nameof(observed));
        }

        double statistic = 0;
        int categories = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            if (shares[i] <= 0)
            {
                if (observed[i] > 0)
                {
                    return new ChiSquareResult(double.PositiveInfinity, 0.0, Math.Max(categories - 1, 0));
                }

                continue;
            }

            categories++;
            double expected = total * shares[i];
            statistic += Square(observed[i] - expected) / expected;
        }

        int degreesOfFreedom = categories - 1;
        if (degreesOfFreedom <= 0)
        {
            return new ChiSquareResult(0.0, 1.0, 0);
        }

        double pValue = SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, statistic / 2.0);
        return new ChiSquareResult(statistic, Math.Clamp(pValue, 0.0, 1.0), degreesOfFreedom);
    }

    private static double Square(double x) => x * x;
}
