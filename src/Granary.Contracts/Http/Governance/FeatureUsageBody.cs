namespace Granary.Contracts.Http.Governance;

/// <summary><c>POST /api/v1/features/usage</c>'s body as read.</summary>
internal sealed record FeatureUsageBody(string FeatureName, string UsedByModel)
{
    public string? FeatureVersion { get; init; }

    public string? ModelVersion { get; init; }

    public string? Environment { get; init; }

    public double? FeatureImportance { get; init; }

    public double? CorrelationWithTarget { get; init; }

    public string? ExecutionId { get; init; }

    public double? ExecutionDurationMs { get; init; }
}
