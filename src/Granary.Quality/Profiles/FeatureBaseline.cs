namespace Granary.Quality.Profiles;

/// <summary>
/// What a stored profile keeps beyond its report, so that a later period can be compared with it (drift): for a
/// numeric feature its deciles and a uniform sample of its non-null values, for a categorical one the counts of its
/// most frequent values.
/// </summary>
/// <param name="Deciles">p10, p20, ..., p90 of the non-null values; empty for a categorical feature or one with no value.</param>
/// <param name="Sample">A uniform sample, without replacement, of up to <see cref="ProfileLimits.SampleSize"/> non-null values, in random order; empty for a categorical feature.</param>
/// <param name="Categories">The counts of up to <see cref="ProfileLimits.BaselineCategories"/> most frequent values, most frequent first; empty for a numeric feature.</param>
public sealed record FeatureBaseline(IReadOnlyList<double> Deciles, IReadOnlyList<double> Sample, IReadOnlyList<CategoryCount> Categories);
