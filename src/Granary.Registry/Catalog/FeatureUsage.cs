namespace Granary.Registry.Catalog;

/// <summary>That a model used a version of a feature, as <c>POST /api/v1/features/usage</c> records it.</summary>
/// <param name="Project">The project.</param>
/// <param name="FeatureName">The catalog entry used.</param>
/// <param name="FeatureVersion">The version used.</param>
/// <param name="UsedByModel">The model (or, for automatic recording, the feature service or the <c>X-Granary-Model</c> header).</param>
/// <param name="Environment"><c>dev</c>, <c>staging</c> or <c>production</c>.</param>
/// <param name="UsageTimestamp">When (UTC).</param>
public sealed record FeatureUsage(
    string Project,
    string FeatureName,
    string FeatureVersion,
    string UsedByModel,
    string Environment,
    DateTimeOffset UsageTimestamp)
{
    public string? ModelVersion { get; init; }

    public double? FeatureImportance { get; init; }

    public double? CorrelationWithTarget { get; init; }

    public string? ExecutionId { get; init; }

    public double? ExecutionDurationMs { get; init; }

    /// <summary>
    /// How many uses this row stands for: 1 for a recorded use; automatic recording folds one flush interval's uses of
    /// a feature version by one model in one environment into one row. Statistics count uses, not rows.
    /// </summary>
    public long Count { get; init; } = 1;
}
