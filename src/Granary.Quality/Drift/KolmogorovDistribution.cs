namespace Granary.Quality.Drift;

/// <summary>
/// The distribution of the one-sample two-sided Kolmogorov-Smirnov statistic Dₙ (scipy's <c>kstwo</c>), which the
/// two-sample test's asymptotic p-value uses at n = round(n₁n₂/(n₁ + n₂)). Math.NET Numerics does not provide it.
/// </summary>
/// <remarks>
/// The regimes follow Simard and L'Ecuyer (2011), as scipy's <c>_kolmogn</c> does: Ruben and Gambino's closed forms
/// at the ends, twice the one-sided Smirnov tail where the two tails cannot overlap, Durbin's matrix where it is
/// cheap and the Pelz-Good series where it is not. Where scipy uses Pomeranz's recursion (n ≤ 140) the Durbin
/// matrix is used instead: both are exact and the matrix is at most 47 wide there.
/// </remarks>
internal static class KolmogorovDistribution
{
    private const int SmallN = 140;

    /// <summary>P(Dₙ ≥ <paramref name="x"/>).</summary>
    public static double Survival(int n, double x)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        if (x <= 0.0)
        {
            return 1.0;
        }

        double t = n * x;
        if (t <= 1.0)
        {
            // Ruben-Gambino: for 1/2n ≤ x ≤ 1/n the CDF is n!/nⁿ·(2t − 1)ⁿ.
            if (t <= 0.5)
            {
                return 1.0;
            }

            double logCdf = LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1));
            return Clip(1.0 - Math.Exp(logCdf));
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * SmirnovDistribution.Survival(n, x));
        }

        double nxSquared = t * x;
        if (n <= SmallN)
        {
            return nxSquared <= 4
                ? Clip(1.0 - DurbinMatrix.Cdf(n, x))
                : Clip(2 * SmirnovDistribution.Survival(n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * SmirnovDistribution.Survival(n, x));
        }

        double cdf = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4
            ? DurbinMatrix.Cdf(n, x)
            : PelzGood.Cdf(n, x);
        return Clip(1.0 - cdf);
    }

    /// <summary>log(n!/nⁿ).</summary>
    private static double LogFactorialOverPower(int n) =>
        MathNet.Numerics.SpecialFunctions.FactorialLn(n) - (n * Math.Log(n));

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}
