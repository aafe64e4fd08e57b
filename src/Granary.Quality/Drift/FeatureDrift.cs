namespace Granary.Quality.Drift;

/// <summary>
/// The drift of one feature between a baseline and a current sample. Measures that do not apply to the feature's
/// type are null: the Kolmogorov-Smirnov test and the shifts for numeric features, chi-square for categorical ones.
/// </summary>
public sealed record FeatureDrift(string Name)
{
    /// <summary>Whether the feature was compared by category (strings and booleans) rather than by value.</summary>
    public bool IsCategorical { get; init; }

    /// <summary>How many values the baseline held (NaN and nulls left out).</summary>
    public long BaselineCount { get; init; }

    /// <summary>How many values the current range held (NaN and nulls left out).</summary>
    public long CurrentCount { get; init; }

    /// <summary>The two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs.</summary>
    public double? KsStatistic { get; init; }

    /// <summary>The Kolmogorov-Smirnov p-value, exact when baseline × current counts are at most 10,000.</summary>
    public double? KsPValue { get; init; }

    /// <summary>Whether <see cref="KsPValue"/> is exact rather than asymptotic.</summary>
    public bool KsExact { get; init; }

    /// <summary>The population stability index over the baseline's deciles (or the categories).</summary>
    public double? Psi { get; init; }

    /// <summary>The Jensen-Shannon distance in base 2 over the same bins, in [0, 1].</summary>
    public double? JsDistance { get; init; }

    /// <summary>Pearson's chi-square statistic over the categories (no continuity correction).</summary>
    public double? Chi2Statistic { get; init; }

    /// <summary>The chi-square p-value, with categories − 1 degrees of freedom.</summary>
    public double? Chi2PValue { get; init; }

    /// <summary>|mean now − mean before| relative to the baseline's mean (its stddev when the mean is 0).</summary>
    public double? MeanShift { get; init; }

    /// <summary>|stddev now − stddev before| relative to the baseline's stddev (its |mean| when the stddev is 0).</summary>
    public double? StdShift { get; init; }

    public DriftSeverity Severity { get; init; }

    /// <summary>What to do about it, in plain words.</summary>
    public IReadOnlyList<string> Recommendations { get; init; } = [];
}
