namespace Granary.Governance;

/// <summary>That a model used a feature (<c>POST /api/v1/features/usage</c>), recorded at once.</summary>
/// <param name="FeatureName">The catalog entry used.</param>
/// <param name="UsedByModel">The model that used it.</param>
public sealed record FeatureUsageRecord(string FeatureName, string UsedByModel)
{
    /// <summary>The version used; null for the entry's current version.</summary>
    public string? FeatureVersion { get; init; }

    public string? ModelVersion { get; init; }

    /// <summary><c>dev</c>, <c>staging</c> or <c>production</c>; null for the store's <see cref="GranaryOptions.UsageEnvironment"/>.</summary>
    public string? Environment { get; init; }

    public double? FeatureImportance { get; init; }

    public double? CorrelationWithTarget { get; init; }

    public string? ExecutionId { get; init; }

    public double? ExecutionDurationMs { get; init; }

    /// <summary>When it was used; null for now (the store's clock).</summary>
    public DateTimeOffset? UsageTimestamp { get; init; }
}
