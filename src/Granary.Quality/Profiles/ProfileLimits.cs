namespace Granary.Quality.Profiles;

/// <summary>The sizes profiles are computed with; docs/quality.md ("Profiles") describes them.</summary>
public static class ProfileLimits
{
    /// <summary>Equal-width bins between a numeric feature's minimum and maximum (one bin when they are equal).</summary>
    public const int HistogramBins = 20;

    /// <summary>The most frequent values a categorical feature's report lists (<c>top_k</c>).</summary>
    public const int TopK = 10;

    /// <summary>The most frequent values a stored categorical profile keeps counts of.</summary>
    public const int BaselineCategories = 1000;

    /// <summary>
    /// Up to this many distinct values (as first estimated), an engine that estimates distinct counts counts them
    /// exactly in its second pass; a categorical feature's are always counted exactly.
    /// </summary>
    public const long ExactDistinctUpTo = 100_000;

    /// <summary>The non-null values a stored numeric profile keeps as its sample.</summary>
    public const int SampleSize = 10_000;
}
