namespace Granary.Contracts.Http.Governance;

/// <summary>
/// <c>GET /api/v1/features/{feature_name}/lineage</c>'s answer: the seed's name lists (direct and, with
/// <c>recursive=true</c>, transitive) and the typed nodes behind them, so sources, views and feature services show too.
/// </summary>
internal static class FeatureLineageJson
{
    public static readonly JsonField NodeKind = new(
        "kind", JsonFieldKind.Enum, "What the node is.", required: true, allowedValues: ["data_source", "feature_view", "feature", "feature_service"]);

    public static readonly JsonField NodeName = new("name", JsonFieldKind.String, "Its name (view:feature for a feature of a view).", required: true);

    public static JsonBodySchema NodeSchema { get; } = new("LineageNode", "A source, view, feature or feature service in the lineage graph.", [NodeKind, NodeName]);

    public static readonly JsonField FeatureName = new("feature_name", JsonFieldKind.String, "The entry asked about.", required: true);

    public static readonly JsonField CurrentVersion = new("current_version", JsonFieldKind.String, "Its current version.", required: true);

    public static readonly JsonField UpstreamFeatures = new("upstream_features", JsonFieldKind.StringList, "The features and views it is computed from directly.", required: true);

    public static readonly JsonField DownstreamFeatures = new(
        "downstream_features", JsonFieldKind.StringList, "The features and views computed from it directly.", required: true);

    public static readonly JsonField AllUpstream = new(
        "all_upstream", JsonFieldKind.StringList, "The features and views it depends on transitively, with recursive=true; empty otherwise.", required: true);

    public static readonly JsonField AllDownstream = new(
        "all_downstream", JsonFieldKind.StringList, "The features and views that depend on it transitively, with recursive=true; empty otherwise.", required: true);

    public static readonly JsonField DirectDependentsCount = new("direct_dependents_count", JsonFieldKind.Integer, "How many nodes (features, views, feature services) depend on it directly.", required: true);

    public static readonly JsonField TotalDependentsCount = new("total_dependents_count", JsonFieldKind.Integer, "How many nodes (features, views, feature services) depend on it, transitively (with or without recursive).", required: true);

    public static readonly JsonField Upstream = new(
        "upstream", JsonFieldKind.ObjectList, "Every direct upstream node, sources included.", required: true, body: NodeSchema);

    public static readonly JsonField Downstream = new(
        "downstream", JsonFieldKind.ObjectList, "Every direct downstream node, feature services included.", required: true, body: NodeSchema);

    public static JsonBodySchema Schema { get; } = new(
        "FeatureLineage",
        "What an entry depends on and what depends on it.",
        [FeatureName, CurrentVersion, UpstreamFeatures, DownstreamFeatures, AllUpstream, AllDownstream, DirectDependentsCount, TotalDependentsCount, Upstream, Downstream]);
}
