using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Quality.Profiles;

namespace Granary.Tests.Quality.Profiles;

public sealed class FeatureAggregatesTests
{
    [Property(MaxTest = 300)]
    public Property Every_value_falls_in_the_bin_whose_edges_hold_it(NormalFloat[] raw)
    {
        var values = raw.Select(v => v.Get).ToArray();
        if (values.Length == 0)
        {
            return true.ToProperty();
        }

        if (HistogramLayout.For(values.Min(), values.Max()) is not { } layout)
        {
            return (!double.IsFinite(values.Max() - values.Min())).ToProperty();
        }

        var counts = new long[layout.Bins];
        foreach (var value in values)
        {
            counts[layout.BinOf(value)]++;
        }

        // Edges are computed as min + i * width, so they may sit an ulp or so off the exact boundary.
        var bins = layout.ToBins(counts);
        var slack = 1e-9 * (Math.Abs(layout.Min) + Math.Abs(layout.Max) + layout.Width);
        var held = values.All(v => bins[layout.BinOf(v)] is var bin && bin.Lower - slack <= v && v <= bin.Upper + slack);
        return (held && bins[0].Lower == values.Min() && bins[^1].Upper == values.Max() && bins.Sum(b => b.Count) == values.Length).ToProperty();
    }

    [Fact]
    public void Equal_minimum_and_maximum_make_one_bin()
    {
        var layout = HistogramLayout.For(3, 3)!.Value;

        Assert.Equal(1, layout.Bins);
        Assert.Equal([new HistogramBin(3, 3, 7)], layout.ToBins([7]));
        Assert.Equal("0", layout.SqlBinExpression("x", HistogramLayout.RoundTrip));
    }

    [Fact]
    public void A_range_that_is_not_finite_has_no_histogram()
    {
        Assert.Null(HistogramLayout.For(double.NegativeInfinity, 1));
        Assert.Null(HistogramLayout.For(-double.MaxValue, double.MaxValue));
    }

    [Fact]
    public void Categories_are_ranked_by_count_then_value_and_top_k_is_their_head()
    {
        var categories = Enumerable.Range(0, 1500).Select(i => new CategoryCount($"v{i:D4}", i % 7)).ToArray();
        var aggregates = new FeatureAggregates("c", FeatureType.String) { Count = 10, NonNull = 10, Categories = categories };

        var profile = aggregates.Assemble();

        var expected = categories.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Take(ProfileLimits.BaselineCategories), profile.Baseline!.Categories);
        Assert.Equal(expected.Take(ProfileLimits.TopK), profile.TopK);
        Assert.Null(profile.Mean);
        Assert.Null(profile.Histogram);
    }

    [Fact]
    public void A_numeric_feature_without_values_has_no_moments_quantiles_or_bins()
    {
        var profile = new FeatureAggregates("x", FeatureType.Int64) { Count = 3, NonNull = 0 }.Assemble();

        Assert.Equal(3, profile.NullCount);
        Assert.Null(profile.Mean);
        Assert.Null(profile.StdDev);
        Assert.Null(profile.Quantiles);
        Assert.Empty(profile.Histogram!);
        Assert.Empty(profile.Baseline!.Deciles);
    }

    [Fact]
    public void The_sample_fraction_keeps_every_value_up_to_a_margin_over_the_sample_size()
    {
        Assert.Equal(1.0, new FeatureAggregates("x", FeatureType.Int64) { NonNull = 12_000 }.SampleFraction);
        Assert.Equal(0.012, new FeatureAggregates("x", FeatureType.Int64) { NonNull = 1_000_000 }.SampleFraction, 12);
    }
}
