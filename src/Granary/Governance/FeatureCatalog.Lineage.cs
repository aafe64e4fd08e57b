using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Governance;

// Lineage and impact: what an entry is computed from, what is computed from it, and the services and models a change affects.
public sealed partial class FeatureCatalog
{
    /// <summary>
    /// What the entry is computed from and what is computed from it, directly, and with <paramref name="recursive"/>
    /// transitively. A feature a view defines has lineage before the catalog has its entry.
    /// </summary>
    public async Task<FeatureLineage> GetLineageAsync(string name, bool recursive, CancellationToken ct = default)
    {
        var checkedName = CatalogFields.RequireName(name, "feature_name");
        var entry = await FindAsync(checkedName, ct);
        var (_, _, graph) = await GraphAsync(fresh: false, ct);
        var node = entry is null ? graph.NodeOf(checkedName) : NodeOf(entry);
        if (entry is null && (!graph.Contains(node) || graph.UpstreamOf(node).Count == 0 && node.Kind == LineageNodeKind.Feature))
        {
            throw NotFound(checkedName);
        }

        var upstream = graph.UpstreamOf(node);
        var downstream = graph.DownstreamOf(node);
        var allDownstream = graph.AllDownstreamOf(node);
        return new FeatureLineage(checkedName, entry?.CurrentVersion ?? SemanticVersion.Initial)
        {
            UpstreamFeatures = CatalogNames(upstream),
            DownstreamFeatures = CatalogNames(downstream),
            AllUpstream = recursive ? CatalogNames(graph.AllUpstreamOf(node)) : [],
            AllDownstream = recursive ? CatalogNames(allDownstream) : [],
            DirectDependentsCount = downstream.Count,
            TotalDependentsCount = allDownstream.Count,
            Upstream = upstream,
            Downstream = downstream,
        };
    }

    /// <summary>The feature services that serve the entry (directly or through what is computed from it) and the models its usage (and theirs) names.</summary>
    public async Task<FeatureImpact> GetImpactAsync(string name, CancellationToken ct = default)
    {
        var lineage = await GetLineageAsync(name, recursive: true, ct);
        var (_, _, graph) = await GraphAsync(fresh: false, ct);
        var services = new SortedSet<string>(StringComparer.Ordinal);
        var models = new SortedSet<string>(StringComparer.Ordinal);
        var affected = new List<string> { lineage.FeatureName };
        foreach (var node in graph.AllDownstreamOf(graph.NodeOf(lineage.FeatureName)))
        {
            if (node.Kind == LineageNodeKind.FeatureService)
            {
                services.Add(node.Name);
            }
            else if (node.Kind is LineageNodeKind.Feature or LineageNodeKind.FeatureView)
            {
                affected.Add(node.Name);
            }
        }

        if (await _owner.CatalogExistsAsync(ct))
        {
            foreach (var feature in affected)
            {
                models.UnionWith((await _store.GetUsageStatisticsAsync(Project, feature, ct)).Models);
            }
        }

        return new FeatureImpact([.. services], [.. models]);
    }

    /// <summary>The whole project's lineage (what <c>granary lineage export</c> writes as OpenLineage events).</summary>
    public async Task<LineageGraph> GetLineageGraphAsync(CancellationToken ct = default) => (await GraphAsync(fresh: false, ct)).Graph;

    private static List<string> CatalogNames(IReadOnlyList<LineageNode> nodes)
    {
        var names = new List<string>(nodes.Count);
        foreach (var node in nodes)
        {
            if (node.Kind is LineageNodeKind.Feature or LineageNodeKind.FeatureView)
            {
                names.Add(node.Name);
            }
        }

        return names;
    }
}
