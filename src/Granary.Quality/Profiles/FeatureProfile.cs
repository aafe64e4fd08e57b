using System.Text.Json.Serialization;

namespace Granary.Quality.Profiles;

/// <summary>
/// The statistics of one feature over the source rows of a period. Statistics a kind of feature does not have (the
/// mean of a string) are null, as are those of a feature with no value (the mean of an all-null column).
/// </summary>
public sealed record FeatureProfile
{
    /// <summary>The feature's name in its view.</summary>
    public required string Name { get; init; }

    /// <summary>The feature's dtype as definitions spell it (<c>float64</c>, <c>string</c>...).</summary>
    public required string Type { get; init; }

    public required ProfileKind Kind { get; init; }

    /// <summary>The rows in the period, nulls included.</summary>
    public required long Count { get; init; }

    /// <summary>The rows whose value is null.</summary>
    public required long NullCount { get; init; }

    /// <summary>The distinct non-null values; an estimate when <see cref="DistinctApproximate"/>.</summary>
    public required long Distinct { get; init; }

    /// <summary>
    /// Whether <see cref="Distinct"/> is an estimate (DuckDB's HyperLogLog, whose error docs/quality.md states) rather
    /// than an exact count.
    /// </summary>
    public required bool DistinctApproximate { get; init; }

    public double? Mean { get; init; }

    /// <summary>The sample standard deviation (n - 1 in the denominator); null with fewer than two values.</summary>
    [JsonPropertyName("stddev")]
    public double? StdDev { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public ProfileQuantiles? Quantiles { get; init; }

    /// <summary>A numeric feature's histogram (<see cref="ProfileLimits.HistogramBins"/> equal-width bins); null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HistogramBin>? Histogram { get; init; }

    /// <summary>A categorical feature's <see cref="ProfileLimits.TopK"/> most frequent values, most frequent first; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CategoryCount>? TopK { get; init; }

    /// <summary>What drift compares a later period with; kept in stored profiles, left out of reports.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FeatureBaseline? Baseline { get; init; }
}
