using Granary.Quality.Drift;

namespace Granary.Tests.Quality.Drift;

/// <summary>The two-sample Kolmogorov-Smirnov test against scipy's <c>ks_2samp</c>, run live.</summary>
public sealed class KolmogorovSmirnovTests
{
    private static void AssertClose(double expected, double actual, string what)
    {
        double tolerance = 1e-10 + (1e-7 * Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: scipy {expected:R}, ours {actual:R}");
    }

    private static void AssertMatchesScipy(IReadOnlyList<(double[] A, double[] B)> cases, string method, bool exact)
    {
        var answers = ScipyReference.Evaluate([.. cases.Select(c => ScipyReference.KolmogorovSmirnov(c.A, c.B, method))]);
        for (int i = 0; i < cases.Count; i++)
        {
            var (a, b) = cases[i];
            var result = KolmogorovSmirnov.Test(DriftSamples.Sorted(a), DriftSamples.Sorted(b));
            Assert.Equal(exact, result.Exact);
            AssertClose(answers[i][0], result.Statistic, $"statistic, sizes {a.Length}x{b.Length}");
            AssertClose(answers[i][1], result.PValue, $"p-value, sizes {a.Length}x{b.Length}");
        }
    }

    [Fact]
    public void Statistic_and_exact_p_value_match_scipy_on_samples_with_ties()
    {
        var cases = new List<(double[], double[])>
        {
            ([1.0], [1.0]),
            ([1.0], [2.0]),
            ([1, 2, 2, 3], [2, 2, 2]),
            (DriftSamples.Tied(1, 7, 4, 0), DriftSamples.Tied(2, 5, 4, 0)),
            (DriftSamples.Tied(3, 10, 5, 0), DriftSamples.Tied(4, 10, 5, 1)),
            (DriftSamples.Tied(5, 25, 6, 0), DriftSamples.Tied(6, 40, 6, 0.5)),
            (DriftSamples.Tied(7, 100, 10, 0), DriftSamples.Tied(8, 100, 10, 0)),
            (DriftSamples.Tied(9, 100, 10, 0), DriftSamples.Tied(10, 100, 10, 3)),
            (DriftSamples.Tied(11, 2, 3, 0), DriftSamples.Tied(12, 5000, 3, 0)),
            (DriftSamples.Normal(13, 80, 0, 1), DriftSamples.Normal(14, 125, 0.8, 1)),
            (DriftSamples.Normal(15, 90, 0, 1), DriftSamples.Normal(16, 110, 0, 1.3)),
        };
        AssertMatchesScipy(cases, "exact", exact: true);
    }

    [Fact]
    public void Statistic_and_asymptotic_p_value_match_scipy_on_samples_with_ties()
    {
        var cases = new List<(double[], double[])>
        {
            (DriftSamples.Tied(21, 101, 8, 0), DriftSamples.Tied(22, 100, 8, 0)),
            (DriftSamples.Tied(23, 300, 20, 0), DriftSamples.Tied(24, 200, 20, 2)),
            (DriftSamples.Normal(25, 1000, 0, 1), DriftSamples.Normal(26, 800, 0.05, 1)),
            (DriftSamples.Normal(27, 1000, 0, 1), DriftSamples.Normal(28, 800, 0.4, 1)),
            (DriftSamples.Normal(29, 5000, 0, 1), DriftSamples.Normal(30, 4000, 0.02, 1)),
            (DriftSamples.Tied(31, 20000, 50, 0), DriftSamples.Tied(32, 30000, 50, 0)),
            (DriftSamples.Normal(33, 20000, 0, 1), DriftSamples.Normal(34, 30000, 0.1, 1)),
            (DriftSamples.Tied(35, 10001, 4, 0), DriftSamples.Tied(36, 1, 4, 0)),
        };
        AssertMatchesScipy(cases, "asymp", exact: false);
    }

    [Fact]
    public void One_sample_tail_matches_scipy_kstwo_in_every_regime()
    {
        // Each size meets the Ruben-Gambino ends, the Durbin matrix, Pelz-Good and the Smirnov tail somewhere.
        int[] sizes = [1, 2, 5, 37, 140, 141, 500, 5000, 100_000, 250_000];
        var points = new List<(int N, double X)>();
        foreach (var n in sizes)
        {
            foreach (var x in new[] { 0.4 / n, 0.75 / n, 1.5 / n, 0.6 / Math.Sqrt(n), 0.9 / Math.Sqrt(n), 1.3 / Math.Sqrt(n), 1.8 / Math.Sqrt(n), 2.5 / Math.Sqrt(n), 5.0 / Math.Sqrt(n), 0.3, 0.55, 1 - (0.5 / n) })
            {
                if (x is > 0 and < 1)
                {
                    points.Add((n, x));
                }
            }
        }

        var answers = ScipyReference.Evaluate([.. points.Select(p => ScipyReference.KolmogorovTail(p.N, p.X))]);
        for (int i = 0; i < points.Count; i++)
        {
            AssertClose(answers[i][0], KolmogorovDistribution.Survival(points[i].N, points[i].X), $"kstwo.sf({points[i].X:R}, {points[i].N})");
        }
    }

    [Fact]
    public void Exact_limit_is_at_ten_thousand_pairs()
    {
        Assert.True(KolmogorovSmirnov.Test(new double[100], new double[100]).Exact);
        Assert.False(KolmogorovSmirnov.Test(new double[100], new double[101]).Exact);
    }

    [Fact]
    public void Empty_sample_is_refused()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.Test([], [1.0]));
    }
}
