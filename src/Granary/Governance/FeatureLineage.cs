using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Governance;

/// <summary>
/// What a catalog entry depends on and what depends on it (<c>GET /api/v1/features/{name}/lineage</c>). The name
/// lists hold catalog names (features and views); <see cref="Upstream"/> and <see cref="Downstream"/> show every
/// direct neighbour with its kind, sources and feature services included.
/// </summary>
public sealed record FeatureLineage(string FeatureName, SemanticVersion CurrentVersion)
{
    /// <summary>The features and views this entry is computed from directly.</summary>
    public IReadOnlyList<string> UpstreamFeatures { get; init; } = [];

    /// <summary>The features and views computed from this entry directly.</summary>
    public IReadOnlyList<string> DownstreamFeatures { get; init; } = [];

    /// <summary>With <c>recursive</c>, the features and views it depends on transitively; otherwise empty.</summary>
    public IReadOnlyList<string> AllUpstream { get; init; } = [];

    /// <summary>With <c>recursive</c>, the features and views that depend on it transitively; otherwise empty.</summary>
    public IReadOnlyList<string> AllDownstream { get; init; } = [];

    /// <summary>How many nodes (features, views, feature services) depend on it directly.</summary>
    public int DirectDependentsCount { get; init; }

    /// <summary>How many nodes (features, views, feature services) depend on it, transitively; computed with or without <c>recursive</c>.</summary>
    public int TotalDependentsCount { get; init; }

    /// <summary>Every direct upstream node, sources included.</summary>
    public IReadOnlyList<LineageNode> Upstream { get; init; } = [];

    /// <summary>Every direct downstream node, feature services included.</summary>
    public IReadOnlyList<LineageNode> Downstream { get; init; } = [];
}
