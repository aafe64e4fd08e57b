using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Quality.Drift;

namespace Granary.Tests.Quality.Drift;

/// <summary>Severity end to end: planted drift is found, an unchanged distribution rarely raises an alarm.</summary>
public sealed class DriftAnalyzerTests
{
    private static FeatureDrift Compare(double[] baseline, double[] current, DriftThresholds? thresholds = null) =>
        DriftAnalyzer.Compare("f", DriftSample.Numeric(baseline), DriftSample.Numeric(current), thresholds ?? DriftThresholds.Default);

    [Property(MaxTest = 30)]
    public Property Planted_mean_shift_is_high_severity() =>
        Prop.ForAll(Gen.Choose(0, 100_000).ToArbitrary(), Gen.Choose(15, 40).ToArbitrary(), (int seed, int tenths) =>
        {
            // A shift of 1.5 to 4 standard deviations, on samples in both p-value regimes.
            double shift = tenths / 10.0;
            int size = 100 + (seed % 400);
            var drift = Compare(DriftSamples.Normal(seed, size, 10, 2), DriftSamples.Normal(seed + 1, size, 10 + (2 * shift), 2));
            return drift.Severity == DriftSeverity.High && drift.KsPValue < 0.001;
        });

    [Property(MaxTest = 30)]
    public Property Planted_category_shift_is_high_severity() =>
        Prop.ForAll(Gen.Choose(0, 100_000).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            int before = 500 + random.Next(500), after = 500 + random.Next(500);
            // 20% of the traffic moves from "a" to a new category "c".
            var baseline = new Dictionary<string, long> { ["a"] = before * 6 / 10, ["b"] = before * 4 / 10 };
            var current = new Dictionary<string, long> { ["a"] = after * 4 / 10, ["b"] = after * 4 / 10, ["c"] = after * 2 / 10 };
            var drift = DriftAnalyzer.Compare("f", DriftSample.Categorical(baseline), DriftSample.Categorical(current), DriftThresholds.Default);
            return drift.Severity == DriftSeverity.High && drift.KsPValue is null && drift.Chi2PValue < 0.001
                && drift.Recommendations.Any(r => r.Contains("'c'", StringComparison.Ordinal));
        });

    [Theory]
    [InlineData(60, 80)] // exact p-values
    [InlineData(400, 300)] // asymptotic p-values
    public void Unchanged_distribution_is_flagged_at_5_percent_in_at_most_10_of_100_seeds(int baselineSize, int currentSize)
    {
        int flagged = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var drift = Compare(DriftSamples.Normal(2 * seed, baselineSize, 3, 1), DriftSamples.Normal((2 * seed) + 1, currentSize, 3, 1));
            flagged += drift.KsPValue < 0.05 ? 1 : 0;
        }

        Assert.InRange(flagged, 0, 10);
    }

    [Fact]
    public void Unchanged_categories_are_flagged_at_5_percent_in_at_most_10_of_100_seeds()
    {
        int flagged = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var drift = DriftAnalyzer.Compare("f", Categories(2 * seed), Categories((2 * seed) + 1), DriftThresholds.Default);
            flagged += drift.Chi2PValue < 0.05 ? 1 : 0;
        }

        Assert.InRange(flagged, 0, 10);

        static DriftSample Categories(int seed)
        {
            var random = new Random(seed);
            var counts = new Dictionary<string, long> { ["x"] = 0, ["y"] = 0, ["z"] = 0 };
            for (int i = 0; i < 300; i++)
            {
                double u = random.NextDouble();
                counts[u < 0.5 ? "x" : u < 0.8 ? "y" : "z"]++;
            }

            return DriftSample.Categorical(counts);
        }
    }

    [Fact]
    public void Severity_follows_the_feature_thresholds()
    {
        // Mean 10 → 11.5: a 15% shift, low by default, high when the feature says 0.1 is already high.
        double[] baseline = [9, 10, 11], current = [10.5, 11.5, 12.5];
        var lax = new DriftThresholds(new DriftLevels(1e-9, 1e-10, 1e-11), DriftThresholds.Default.Shifts);
        var strict = new DriftThresholds(lax.PValues, new DriftLevels(0.01, 0.05, 0.1));
        Assert.Equal(DriftSeverity.Low, Compare(baseline, current, lax).Severity);
        Assert.Equal(DriftSeverity.High, Compare(baseline, current, strict).Severity);
    }

    [Fact]
    public void Measures_that_do_not_apply_to_the_type_are_null()
    {
        var numeric = Compare([1, 2, 3], [1, 2, 3]);
        Assert.Null(numeric.Chi2Statistic);
        Assert.Null(numeric.Chi2PValue);
        Assert.NotNull(numeric.KsStatistic);
        Assert.Equal(DriftSeverity.None, numeric.Severity);

        var categorical = DriftAnalyzer.Compare(
            "f", DriftSample.Categorical(new Dictionary<string, long> { ["a"] = 3 }), DriftSample.Categorical(new Dictionary<string, long> { ["a"] = 4 }), DriftThresholds.Default);
        Assert.Null(categorical.KsStatistic);
        Assert.Null(categorical.MeanShift);
        Assert.Null(categorical.StdShift);
        Assert.NotNull(categorical.Chi2PValue);
    }

    [Fact]
    public void Empty_current_range_says_so_instead_of_measuring()
    {
        var drift = Compare([1, 2, 3], [double.NaN]);
        Assert.Equal(0, drift.CurrentCount);
        Assert.Null(drift.KsPValue);
        Assert.Equal(DriftSeverity.None, drift.Severity);
        Assert.Contains("no values", drift.Recommendations[0], StringComparison.Ordinal);
    }
}
