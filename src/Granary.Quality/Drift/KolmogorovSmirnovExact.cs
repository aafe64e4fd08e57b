namespace Granary.Quality.Drift;

/// <summary>
/// The exact null distribution of the two-sample Kolmogorov-Smirnov statistic: no library offers it for unequal
/// sample sizes, so it is computed here by walking the lattice paths.
/// </summary>
/// <remarks>
/// Under the null hypothesis the merged order of the n + m values is a uniformly random interleaving: a path from
/// (0, 0) to (n, m) that steps right for a baseline value and up for a current one. The statistic is at least D when
/// the path touches a point with |i·m − j·n| ≥ D·n·m. The walk carries the probability of reaching each point without
/// having touched one (from (i, j) the next value is a baseline one with probability (n − i)/(n + m − i − j)) and
/// sums the probability that first touches the boundary. Summing positive terms keeps tiny p-values accurate, where
/// subtracting the inside probability from 1 would lose them. Cost: O(n·m) time, O(m) memory.
/// </remarks>
internal static class KolmogorovSmirnovExact
{
    /// <summary>P(n·m·D ≥ <paramref name="scaledStatistic"/>) for samples of sizes n and m.</summary>
    public static double ProbabilityAtLeast(int n, int m, long scaledStatistic)
    {
        if (scaledStatistic <= 0)
        {
            return 1.0;
        }

        double total = n + m;
        // inside[j] = P(reach (i, j) without touching the boundary), for the current row i.
        var inside = new double[m + 1];
        double outside = 0;
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; j <= m; j++)
            {
                double arriving;
                if (i == 0 && j == 0)
                {
                    arriving = 1.0;
                }
                else
                {
                    double remaining = total - i - j + 1;
                    double fromLeft = i > 0 ? inside[j] * (n - i + 1) / remaining : 0.0;
                    double fromBelow = j > 0 ? inside[j - 1] * (m - j + 1) / remaining : 0.0;
                    arriving = fromLeft + fromBelow;
                }

                if (Math.Abs(((long)i * m) - ((long)j * n)) >= scaledStatistic)
                {
                    outside += arriving;
                    inside[j] = 0.0;
                }
                else
                {
                    inside[j] = arriving;
                }
            }
        }

        return outside;
    }
}
