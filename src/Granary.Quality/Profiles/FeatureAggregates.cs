using Granary.Core.Model;

namespace Granary.Quality.Profiles;

/// <summary>
/// What an engine computes for one feature, in its own SQL, before <see cref="Assemble"/> turns it into a
/// <see cref="FeatureProfile"/>: the engine fills the counts and moments in its first pass, then the histogram counts,
/// the sample and the category counts in its second (which needs the range and the count of values).
/// </summary>
internal sealed class FeatureAggregates(string name, FeatureType type)
{
    public string Name { get; } = name;

    public FeatureType Type { get; } = type;

    public ProfileKind Kind { get; } = ProfileKinds.Of(type);

    public long Count { get; set; }

    public long NonNull { get; set; }

    public long Distinct { get; set; }

    public bool DistinctApproximate { get; set; }

    public double? Mean { get; set; }

    public double? StdDev { get; set; }

    public double? Min { get; set; }

    public double? Max { get; set; }

    /// <summary>The values at <see cref="ProfileLevels.Levels"/>; null without a value.</summary>
    public IReadOnlyList<double>? Quantiles { get; set; }

    /// <summary>Counts per bin of <see cref="Layout"/>.</summary>
    public IReadOnlyList<long>? BinCounts { get; set; }

    public IReadOnlyList<double>? Sample { get; set; }

    /// <summary>The most frequent values, at most <see cref="ProfileLimits.BaselineCategories"/>, in any order.</summary>
    public IReadOnlyList<CategoryCount>? Categories { get; set; }

    /// <summary>The histogram's bins, once the range is known; null for a feature that has none.</summary>
    public HistogramLayout? Layout =>
        Kind == ProfileKind.Numeric && NonNull > 0 && Min is { } min && Max is { } max ? HistogramLayout.For(min, max) : null;

    /// <summary>
    /// The chance with which the second pass keeps each non-null value for the sample before shuffling it: enough for
    /// <see cref="ProfileLimits.SampleSize"/> values with a wide margin (20% over, many standard deviations), so the
    /// sample is a uniform one of that size and the engine sorts only a few thousand values to shuffle it.
    /// </summary>
    public double SampleFraction => NonNull <= ProfileLimits.SampleSize * 1.2 ? 1.0 : ProfileLimits.SampleSize * 1.2 / NonNull;

    public FeatureProfile Assemble()
    {
        var numeric = Kind == ProfileKind.Numeric;
        var categorical = Kind == ProfileKind.Categorical;
        var categories = categorical ? SortedCategories() : [];
        var quantiles = numeric && NonNull > 0 ? Quantiles : null;
        var sample = numeric ? Sample ?? [] : [];
        return new FeatureProfile
        {
            Name = Name,
            Type = Type.ToString(),
            Kind = Kind,
            Count = Count,
            NullCount = Count - NonNull,
            Distinct = Distinct,
            DistinctApproximate = DistinctApproximate,
            Mean = numeric ? Mean : null,
            StdDev = numeric && NonNull > 1 ? StdDev : null,
            Min = numeric ? Min : null,
            Max = numeric ? Max : null,
            Quantiles = quantiles is null ? null : ProfileLevels.Reported(quantiles),
            Histogram = numeric ? (Layout is { } layout && BinCounts is { } counts ? layout.ToBins(counts) : []) : null,
            TopK = categorical ? categories.Take(ProfileLimits.TopK).ToArray() : null,
            Baseline = new FeatureBaseline(
                quantiles is null ? [] : ProfileLevels.Deciles(quantiles),
                sample.Count > ProfileLimits.SampleSize ? sample.Take(ProfileLimits.SampleSize).ToArray() : sample,
                categories),
        };
    }

    // Most frequent first, ties by value (ordinal), whatever order or collation the engine returned them in.
    private CategoryCount[] SortedCategories()
    {
        var sorted = (Categories ?? []).ToArray();
        Array.Sort(sorted, static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Value, b.Value));
        return sorted.Length > ProfileLimits.BaselineCategories ? sorted[..ProfileLimits.BaselineCategories] : sorted;
    }
}
