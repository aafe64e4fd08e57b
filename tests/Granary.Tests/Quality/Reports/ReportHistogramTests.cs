using Granary.Quality.Profiles;
using Granary.Reports;

namespace Granary.Tests.Quality.Reports;

/// <summary>The bins a report draws: the baseline's deciles (as PSI uses them) or its categories, shared by both sides.</summary>
public sealed class ReportHistogramTests
{
    [Fact]
    public void Numeric_bins_are_the_baseline_tenths_and_a_shift_piles_the_current_values_into_the_upper_ones()
    {
        var random = new Random(3);
        var before = Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * 100).ToArray();
        var after = Enumerable.Range(0, 1000).Select(_ => 60 + (random.NextDouble() * 100)).ToArray();

        var histogram = MonitoringReportBuilder.Numeric("x", new FeatureBaseline([], before, []), new FeatureBaseline([], after, []));

        Assert.Equal(10, histogram.Bins.Count);
        Assert.All(histogram.Baseline, share => Assert.InRange(share, 0.0995, 0.1005));
        Assert.Equal(1.0, histogram.Current.Sum(), 9);
        // Nothing below 60 now: the lower six tenths of the baseline are empty, the top one (above about 90) holds seven tenths of the new values.
        Assert.All(histogram.Current.Take(6), share => Assert.Equal(0, share));
        Assert.InRange(histogram.Current[^1], 0.65, 0.75);
        Assert.StartsWith("> ", histogram.Bins[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Tied_deciles_give_one_bin_each_and_no_empty_bars()
    {
        double[] counts = [.. Enumerable.Repeat(0.0, 550), .. Enumerable.Repeat(1.0, 300), .. Enumerable.Repeat(2.0, 150)];

        var histogram = MonitoringReportBuilder.Numeric("clicks", new FeatureBaseline([], counts, []), new FeatureBaseline([], counts, []));

        // Deciles 0 (five times), 1 (three times) and 2: three cut points, four bins.
        Assert.Equal(["≤ 0", "≤ 1", "≤ 2", "> 2"], histogram.Bins);
        Assert.Equal([0.55, 0.3, 0.15, 0.0], histogram.Baseline);
        Assert.Equal(histogram.Baseline, histogram.Current);
    }

    [Fact]
    public void Categories_follow_the_baseline_order_then_those_new_since()
    {
        var before = new FeatureBaseline([], [], [new CategoryCount("US", 60), new CategoryCount("FR", 40)]);
        var now = new FeatureBaseline([], [], [new CategoryCount("FR", 50), new CategoryCount("BR", 30), new CategoryCount("US", 20)]);

        var histogram = MonitoringReportBuilder.Categorical("country", before, now);

        Assert.Equal(["US", "FR", "BR"], histogram.Bins);
        Assert.Equal([0.6, 0.4, 0.0], histogram.Baseline);
        Assert.Equal([0.2, 0.5, 0.3], histogram.Current);
    }
}
