namespace Granary.Quality.Drift;

/// <summary>
/// The one-sided Kolmogorov-Smirnov tail P(Dₙ⁺ ≥ d) exactly, by the Birnbaum-Tingey (1951) sum (scipy's
/// <c>special.smirnov</c>). Twice it is the two-sided tail wherever the two sides cannot both exceed d.
/// </summary>
/// <remarks>
/// d·Σⱼ C(n, j)·(1 − d − j/n)ⁿ⁻ʲ·(d + j/n)ʲ⁻¹ for j = 0 … ⌊n(1 − d)⌋: every term is positive, so summing them
/// in log space keeps small tails accurate. O(n) time.
/// </remarks>
internal static class SmirnovDistribution
{
    public static double Survival(int n, double d)
    {
        if (d <= 0.0)
        {
            return 1.0;
        }

        if (d >= 1.0)
        {
            return 0.0;
        }

        int last = (int)Math.Floor(n * (1.0 - d));
        double logBinomial = 0.0; // log C(n, j), advanced term by term.
        double sum = 0.0;
        for (int j = 0; j <= last; j++)
        {
            if (j > 0)
            {
                logBinomial += Math.Log((double)(n - j + 1) / j);
            }

            double lower = 1.0 - d - ((double)j / n);
            if (lower <= 0.0 && j < n)
            {
                continue;
            }

            double logTerm = logBinomial + (j - 1) * Math.Log(d + ((double)j / n));
            if (j < n)
            {
                logTerm += (n - j) * Math.Log(lower);
            }

            sum += Math.Exp(logTerm);
        }

        return Math.Clamp(d * sum, 0.0, 1.0);
    }
}
