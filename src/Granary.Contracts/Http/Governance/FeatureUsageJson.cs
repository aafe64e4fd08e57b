namespace Granary.Contracts.Http.Governance;

/// <summary><c>POST /api/v1/features/usage</c>'s body and answer: that a model used a version of a feature.</summary>
internal static class FeatureUsageJson
{
    public static readonly IReadOnlyList<string> EnvironmentNames = ["dev", "staging", "production"];

    public static readonly JsonField FeatureName = new("feature_name", JsonFieldKind.String, "The feature used.", required: true);

    public static readonly JsonField FeatureVersion = new("feature_version", JsonFieldKind.String, "The version used; the current one when not given.");

    public static readonly JsonField UsedByModel = new("used_by_model", JsonFieldKind.String, "The model that used it.", required: true);

    public static readonly JsonField ModelVersion = new("model_version", JsonFieldKind.String, "The model's version.");

    public static readonly JsonField Environment = new(
        "environment", JsonFieldKind.Enum, "Where it was used: dev, staging or production (the server's usage environment when not given).", allowedValues: EnvironmentNames);

    public static readonly JsonField FeatureImportance = new("feature_importance", JsonFieldKind.Number, "The feature's importance in the model.");

    public static readonly JsonField CorrelationWithTarget = new("correlation_with_target", JsonFieldKind.Number, "The feature's correlation with the model's target.");

    public static readonly JsonField ExecutionId = new("execution_id", JsonFieldKind.String, "The run (training or scoring job) that used it.");

    public static readonly JsonField ExecutionDurationMs = new("execution_duration_ms", JsonFieldKind.Number, "How long that run took, in milliseconds.");

    public static JsonBodySchema RequestSchema { get; } = new(
        "FeatureUsageCreate",
        "A use of a feature by a model.",
        [FeatureName, FeatureVersion, UsedByModel, ModelVersion, Environment, FeatureImportance, CorrelationWithTarget, ExecutionId, ExecutionDurationMs]);

    private static readonly JsonField RecordedVersion = new("feature_version", JsonFieldKind.String, "The version used.", required: true);

    private static readonly JsonField RecordedEnvironment = new("environment", JsonFieldKind.String, "Where it was used.", required: true);

    public static readonly JsonField UsageTimestamp = new("usage_timestamp", JsonFieldKind.Timestamp, "When it was recorded, UTC.", required: true);

    public static JsonBodySchema Schema { get; } = new(
        "FeatureUsage",
        "A recorded use of a feature by a model.",
        [FeatureName, RecordedVersion, UsedByModel, ModelVersion, RecordedEnvironment, FeatureImportance, CorrelationWithTarget, UsageTimestamp, ExecutionId, ExecutionDurationMs]);
}
