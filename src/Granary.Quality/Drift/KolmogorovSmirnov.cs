namespace Granary.Quality.Drift;

/// <summary>The two-sample Kolmogorov-Smirnov test (two-sided), with ties.</summary>
/// <remarks>
/// The p-value is exact (the permutation distribution of the statistic, as scipy's
/// <c>ks_2samp(method="exact")</c>) when n·m is at most <see cref="ExactLimit"/>; otherwise it is the tail of the
/// one-sample statistic's distribution at the effective size round(nm/(n + m)), as <c>ks_2samp(method="asymp")</c>.
/// </remarks>
internal static class KolmogorovSmirnov
{
    /// <summary>The largest n·m for which the p-value is computed exactly.</summary>
    public const long ExactLimit = 10_000;

    /// <summary>Tests two samples, each sorted ascending and free of NaN.</summary>
    public static KolmogorovSmirnovResult Test(ReadOnlySpan<double> sortedBaseline, ReadOnlySpan<double> sortedCurrent)
    {
        int n = sortedBaseline.Length, m = sortedCurrent.Length;
        if (n == 0 || m == 0)
        {
            throw new ArgumentException("The Kolmogorov-Smirnov test needs at least one value in each sample.");
        }

        long scaled = ScaledStatistic(sortedBaseline, sortedCurrent);
        double statistic = scaled / ((double)n * m);
        bool exact = (long)n * m <= ExactLimit;
        double pValue = exact
            ? KolmogorovSmirnovExact.ProbabilityAtLeast(n, m, scaled)
            : KolmogorovDistribution.Survival(EffectiveSize(n, m), statistic);
        return new KolmogorovSmirnovResult(statistic, Math.Clamp(pValue, 0.0, 1.0), exact);
    }

    /// <summary>round(nm/(n + m)), rounding half to even as numpy does.</summary>
    internal static int EffectiveSize(int n, int m) =>
        (int)Math.Max(1.0, Math.Round((double)n * m / ((double)n + m), MidpointRounding.ToEven));

    /// <summary>
    /// The statistic times n·m, an integer: max |i·m − j·n| over the values, where i and j count the values of
    /// each sample at or below it. Tied values advance both counts before the difference is taken.
    /// </summary>
    internal static long ScaledStatistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        long n = a.Length, m = b.Length, max = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            double value = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] == value)
            {
                i++;
            }

            while (j < b.Length && b[j] == value)
            {
                j++;
            }

            max = Math.Max(max, Math.Abs((i * m) - (j * n)));
        }

        // Past the end of one sample the gap only narrows towards zero, so the maximum is already found.
        return max;
    }
}
