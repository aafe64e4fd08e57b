using Granary.Quality.Drift;

namespace Granary.Tests.Quality.Drift;

/// <summary>PSI and the Jensen-Shannon distance worked by hand, chi-square against scipy.</summary>
public sealed class BinnedStatisticsTests
{
    [Fact]
    public void Psi_matches_the_sum_worked_by_hand()
    {
        // Proportions 0.5/0.5 before, 0.25/0.75 now: (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5).
        double expected = (-0.25 * Math.Log(0.5)) + (0.25 * Math.Log(1.5));
        Assert.Equal(expected, PopulationStabilityIndex.Compute([50, 50], [25, 75]), 12);
        Assert.Equal(0.27465307216702745, expected, 12);
    }

    [Fact]
    public void Psi_counts_an_empty_bin_as_one_ten_thousandth()
    {
        // Bin 2 is empty before: its proportion is 0.0001 there, and the other bins are not renormalised.
        double expected = ((0.5 - 1.0) * Math.Log(0.5 / 1.0)) + ((0.5 - 0.0001) * Math.Log(0.5 / 0.0001));
        Assert.Equal(expected, PopulationStabilityIndex.Compute([100, 0], [50, 50]), 12);
        Assert.Equal(0.0, PopulationStabilityIndex.Compute([3, 0, 7], [30, 0, 70]), 12);
    }

    [Fact]
    public void Js_distance_matches_the_values_worked_by_hand()
    {
        Assert.Equal(0.0, JensenShannon.Distance([1, 1], [2, 2]), 12);
        Assert.Equal(1.0, JensenShannon.Distance([1, 0], [0, 1]), 12);
        // p = (3/4, 1/4), q = (1/4, 3/4), m = (1/2, 1/2): JS = 3/4·log2(3/2) + 1/4·log2(1/2).
        double expected = Math.Sqrt((0.75 * Math.Log2(1.5)) + (0.25 * Math.Log2(0.5)));
        Assert.Equal(expected, JensenShannon.Distance([3, 1], [1, 3]), 12);
        Assert.Equal(0.4344214, expected, 6);
    }

    [Fact]
    public void Js_distance_matches_scipy_jensenshannon_base_2()
    {
        long[][] p = [[10, 20, 30, 0], [1, 2, 3, 4, 5], [500, 1, 1]];
        long[][] q = [[12, 18, 25, 5], [5, 4, 3, 2, 1], [1, 1, 500]];
        var answers = ScipyReference.Evaluate([.. p.Select((x, i) => ScipyReference.JensenShannon(x, q[i]))]);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(answers[i][0], JensenShannon.Distance(p[i], q[i]), 12);
        }
    }

    [Fact]
    public void Chi_square_on_contingency_tables_matches_scipy_without_correction()
    {
        long[][] baseline = [[10, 20, 30], [1000, 5], [5, 0, 3, 8], [40, 60], [250, 250, 250, 250]];
        long[][] current = [[15, 25, 20], [990, 30], [0, 4, 2, 8], [55, 45], [300, 200, 260, 240]];
        var answers = ScipyReference.Evaluate([.. baseline.Select((b, i) => ScipyReference.ChiSquare(b, current[i]))]);
        for (int i = 0; i < baseline.Length; i++)
        {
            var result = ChiSquareTest.Homogeneity(baseline[i], current[i]);
            Assert.Equal(answers[i][0], result.Statistic, 9);
            Assert.True(Math.Abs(answers[i][1] - result.PValue) <= 1e-12 + (1e-9 * answers[i][1]), $"table {i}: scipy p {answers[i][1]:R}, ours {result.PValue:R}");
            Assert.Equal((int)answers[i][2], result.DegreesOfFreedom);
        }
    }

    [Fact]
    public void Chi_square_goodness_of_fit_matches_scipy_chisquare_and_a_count_where_the_share_is_zero_is_a_mismatch()
    {
        long[][] observed = [[5010, 4990], [480, 520], [3300, 3400, 3300], [100, 300], [7, 2, 1]];
        double[][] shares = [[0.5, 0.5], [0.5, 0.5], [0.3, 0.4, 0.3], [0.5, 0.5], [0.6, 0.3, 0.1]];
        var answers = ScipyReference.Evaluate([.. observed.Select((o, i) => ScipyReference.ChiSquareGoodnessOfFit(o, shares[i]))]);
        for (int i = 0; i < observed.Length; i++)
        {
            var result = ChiSquareTest.GoodnessOfFit(observed[i], shares[i]);
            Assert.Equal(answers[i][0], result.Statistic, 9);
            Assert.True(Math.Abs(answers[i][1] - result.PValue) <= 1e-12 + (1e-9 * answers[i][1]), $"case {i}: scipy p {answers[i][1]:R}, ours {result.PValue:R}");
            Assert.Equal(observed[i].Length - 1, result.DegreesOfFreedom);
        }

        Assert.Equal(0.0, ChiSquareTest.GoodnessOfFit([10, 1], [1.0, 0.0]).PValue);
        Assert.Equal(new ChiSquareResult(0.0, 1.0, 0), ChiSquareTest.GoodnessOfFit([10, 0], [1.0, 0.0]));
    }

    [Fact]
    public void Chi_square_of_one_category_shows_no_difference()
    {
        Assert.Equal(new ChiSquareResult(0.0, 1.0, 0), ChiSquareTest.Homogeneity([5], [9]));
    }

    [Fact]
    public void Decile_cut_points_interpolate_between_order_statistics()
    {
        // 1 … 10: the k/10 quantile sits at position 0.9·k, between k·0.9 + 1 and the next value.
        double[] cuts = DecileBins.CutPoints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        Assert.Equal([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1], cuts.Select(c => Math.Round(c, 10)));
        // Values on a cut point belong to the bin that ends there: 2.8 twice in (1.9, 2.8].
        Assert.Equal([1L, 2, 0, 0, 0, 0, 0, 0, 0, 1], DecileBins.Count([1.0, 2.8, 2.8, 9.5], cuts));
    }

    [Fact]
    public void Shifts_are_relative_to_the_baseline()
    {
        // Baseline mean 2, stddev 1; current mean 3, stddev 2.
        var (meanShift, stdShift) = DistributionShift.Compute([1, 3], [1, 5]);
        Assert.Equal(0.5, meanShift, 12);
        Assert.Equal(1.0, stdShift, 12);
        // Baseline mean 0: the mean shift is relative to the stddev (1); stddev 0: the std shift to |mean| (4).
        Assert.Equal(0.5, DistributionShift.Compute([-1, 1], [0, 1]).MeanShift, 12);
        Assert.Equal(0.25, DistributionShift.Compute([4, 4], [3, 5]).StdShift, 12);
        Assert.Equal(double.PositiveInfinity, DistributionShift.Compute([0, 0], [1, 1]).MeanShift);
    }
}
