namespace Granary.Contracts.Http.Governance;

/// <summary><c>GET /api/v1/features/{feature_name}/impact</c>'s answer, <c>{"feature_services": [...], "models": [...]}</c>.</summary>
internal static class FeatureImpactJson
{
    public static readonly JsonField FeatureServices = new(
        "feature_services", JsonFieldKind.StringList, "The feature services a change would affect (directly or through downstream entries), by name.", required: true);

    public static readonly JsonField Models = new("models", JsonFieldKind.StringList, "The models recorded as using it, by name.", required: true);

    public static JsonBodySchema Schema { get; } = new("FeatureImpact", "What a change of the entry would affect.", [FeatureServices, Models]);
}
