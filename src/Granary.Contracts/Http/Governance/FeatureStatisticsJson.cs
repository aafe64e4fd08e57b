namespace Granary.Contracts.Http.Governance;

/// <summary><c>GET /api/v1/features/{feature_name}/statistics</c>'s answer: what the entry's usage records add up to.</summary>
internal static class FeatureStatisticsJson
{
    public static readonly JsonField FeatureName = new("feature_name", JsonFieldKind.String, "The entry.", required: true);

    public static readonly JsonField TotalUsage = new("total_usage", JsonFieldKind.Integer, "How many uses are recorded.", required: true);

    public static readonly JsonField UniqueModels = new("unique_models", JsonFieldKind.Integer, "How many distinct models used it.", required: true);

    public static readonly JsonField Environments = new("environments", JsonFieldKind.StringList, "The distinct environments, ordered by name.", required: true);

    public static readonly JsonField AvgImportance = new("avg_importance", JsonFieldKind.Number, "Mean feature_importance of the records that carry one; null when none does.");

    public static readonly JsonField AvgCorrelation = new(
        "avg_correlation", JsonFieldKind.Number, "Mean correlation_with_target of the records that carry one; null when none does.");

    public static readonly JsonField LastUsedAt = new("last_used_at", JsonFieldKind.Timestamp, "The latest use, UTC; null when never used.");

    public static JsonBodySchema Schema { get; } = new(
        "FeatureStatistics", "Usage statistics of a catalog entry.", [FeatureName, TotalUsage, UniqueModels, Environments, AvgImportance, AvgCorrelation, LastUsedAt]);
}
