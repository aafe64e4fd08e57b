using Granary.Core.Model;
using Granary.Registry.Catalog;

namespace Granary.Registry.Lineage;

/// <summary>
/// The dependencies of one project: data sources, feature views, features and feature services, joined by what the
/// definitions say (a batch source feeds its push or stream sources, a source its views, a view its features, a
/// feature the services that serve it) and by the catalog's <c>upstream_features</c> (an upstream feeds the entry).
/// Built once per registry snapshot and catalog; read-only and safe to share between threads.
/// </summary>
public sealed class LineageGraph
{
    private static readonly IReadOnlyList<LineageNode> NoNodes = [];

    private readonly Dictionary<LineageNode, List<LineageNode>> _upstream;
    private readonly Dictionary<LineageNode, List<LineageNode>> _downstream;

    private LineageGraph(string project, List<LineageNode> nodes, List<LineageEdge> edges,
        Dictionary<LineageNode, List<LineageNode>> upstream, Dictionary<LineageNode, List<LineageNode>> downstream)
    {
        Project = project;
        Nodes = nodes;
        Edges = edges;
        _upstream = upstream;
        _downstream = downstream;
    }

    public string Project { get; }

    /// <summary>Every node, ordered by kind, then name.</summary>
    public IReadOnlyList<LineageNode> Nodes { get; }

    /// <summary>Every edge once, ordered by their downstream node, then upstream node.</summary>
    public IReadOnlyList<LineageEdge> Edges { get; }

    public bool Contains(LineageNode node) => _upstream.ContainsKey(node);

    /// <summary>What <paramref name="node"/> is computed from directly, ordered by kind and name; empty for a node not in the graph.</summary>
    public IReadOnlyList<LineageNode> UpstreamOf(LineageNode node) => _upstream.TryGetValue(node, out var list) ? list : NoNodes;

    /// <summary>What is computed from <paramref name="node"/> directly, ordered by kind and name.</summary>
    public IReadOnlyList<LineageNode> DownstreamOf(LineageNode node) => _downstream.TryGetValue(node, out var list) ? list : NoNodes;

    /// <summary>Everything <paramref name="node"/> depends on, transitively (the node itself only when a cycle leads back to it), in breadth-first order.</summary>
    public IReadOnlyList<LineageNode> AllUpstreamOf(LineageNode node) => Closure(node, _upstream);

    /// <summary>Everything that depends on <paramref name="node"/>, transitively, in breadth-first order.</summary>
    public IReadOnlyList<LineageNode> AllDownstreamOf(LineageNode node) => Closure(node, _downstream);

    /// <summary>
    /// A path of edges from <paramref name="from"/> down to <paramref name="to"/> (both included), the shortest there
    /// is, or null when <paramref name="to"/> does not depend on <paramref name="from"/>.
    /// </summary>
    public IReadOnlyList<LineageNode>? PathBetween(LineageNode from, LineageNode to)
    {
        if (!_downstream.ContainsKey(from))
        {
            return null;
        }

        var previous = new Dictionary<LineageNode, LineageNode> { [from] = from };
        var queue = new Queue<LineageNode>();
        queue.Enqueue(from);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in _downstream[current])
            {
                if (next == to)
                {
                    var path = new List<LineageNode> { to, current };
                    while (path[^1] != from)
                    {
                        path.Add(previous[path[^1]]);
                    }

                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The cycle that giving <paramref name="entry"/> the upstream <paramref name="upstream"/> would close, as the path
    /// <c>entry → ... → upstream → entry</c>, or null when the edge is safe.
    /// </summary>
    public IReadOnlyList<LineageNode>? CycleIfAdded(LineageNode upstream, LineageNode entry)
    {
        if (upstream == entry)
        {
            return [entry, entry];
        }

        var path = PathBetween(entry, upstream);
        return path is null ? null : [.. path, entry];
    }

    /// <summary>The node a catalog name stands for: <c>view:feature</c> and bare names are features, a view's name (a catalog view entry or a defined view) its view.</summary>
    public LineageNode NodeOf(string catalogName) =>
        !catalogName.Contains(':', StringComparison.Ordinal) && _upstream.ContainsKey(new LineageNode(LineageNodeKind.FeatureView, catalogName))
            ? new LineageNode(LineageNodeKind.FeatureView, catalogName)
            : new LineageNode(LineageNodeKind.Feature, catalogName);

    /// <summary>Builds the graph of <paramref name="definitions"/> and the catalog <paramref name="entries"/> (their <c>upstream_features</c>).</summary>
    internal static LineageGraph Build(string project, DefinitionSet definitions, IEnumerable<CatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new Builder();
        foreach (var source in definitions.Sources)
        {
            var node = new LineageNode(LineageNodeKind.DataSource, source.Name);
            builder.Add(node);
            var batch = source switch
            {
                PushSource push => push.BatchSourceName,
                StreamSource stream => stream.BatchSourceName,
                _ => null,
            };
            if (batch is not null)
            {
                builder.Add(new LineageNode(LineageNodeKind.DataSource, batch), node);
            }
        }

        var joinKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var entity in definitions.Entities)
        {
            joinKeys[entity.Name] = entity.JoinKeys;
        }

        foreach (var view in definitions.FeatureViews)
        {
            var viewNode = new LineageNode(LineageNodeKind.FeatureView, view.Name);
            if (view.Derived is { } derived)
            {
                // A derived view is computed from what its query names: each view or source it reads is upstream of it.
                foreach (var name in derived.References())
                {
                    var kind = definitions.FindFeatureView(name) is not null ? LineageNodeKind.FeatureView : LineageNodeKind.DataSource;
                    builder.Add(new LineageNode(kind, name), viewNode);
                }
            }
            else
            {
                builder.Add(new LineageNode(LineageNodeKind.DataSource, view.Source), viewNode);
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entity in view.Entities)
            {
                if (joinKeys.TryGetValue(entity, out var entityKeys))
                {
                    keys.UnionWith(entityKeys);
                }
            }

            foreach (var field in view.FeaturesExcluding(keys))
            {
                builder.Add(viewNode, new LineageNode(LineageNodeKind.Feature, $"{view.Name}:{field.Name}"));
            }
        }

        foreach (var service in definitions.FeatureServices)
        {
            var serviceNode = new LineageNode(LineageNodeKind.FeatureService, service.Name);
            builder.Add(serviceNode);
            foreach (var feature in service.Features)
            {
                builder.Add(new LineageNode(LineageNodeKind.Feature, feature.ToString()), serviceNode);
            }
        }

        // Catalog entries after the definitions: an upstream name resolves to a view only once every view is known.
        var catalog = entries as IReadOnlyCollection<CatalogEntry> ?? [.. entries];
        var views = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in definitions.FeatureViews)
        {
            views.Add(view.Name);
        }

        foreach (var entry in catalog)
        {
            if (entry.Kind == CatalogEntryKind.View)
            {
                views.Add(entry.Name);
            }
        }

        foreach (var entry in catalog)
        {
            var node = entry.Kind == CatalogEntryKind.View
                ? new LineageNode(LineageNodeKind.FeatureView, entry.Name)
                : new LineageNode(LineageNodeKind.Feature, entry.Name);
            builder.Add(node);
            foreach (var upstream in entry.Metadata.UpstreamFeatures)
            {
                builder.Add(ResolveName(upstream, views), node);
            }
        }

        return builder.Build(project);
    }

    internal static LineageNode ResolveName(string catalogName, IReadOnlySet<string> views) =>
        !catalogName.Contains(':', StringComparison.Ordinal) && views.Contains(catalogName)
            ? new LineageNode(LineageNodeKind.FeatureView, catalogName)
            : new LineageNode(LineageNodeKind.Feature, catalogName);

    private static List<LineageNode> Closure(LineageNode start, Dictionary<LineageNode, List<LineageNode>> next)
    {
        var result = new List<LineageNode>();
        if (!next.ContainsKey(start))
        {
            return result;
        }

        var seen = new HashSet<LineageNode>();
        var queue = new Queue<LineageNode>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            foreach (var neighbour in next[queue.Dequeue()])
            {
                if (seen.Add(neighbour))
                {
                    result.Add(neighbour);
                    queue.Enqueue(neighbour);
                }
            }
        }

        return result;
    }

    private static int Order(LineageNode a, LineageNode b)
    {
        var c = a.Kind.CompareTo(b.Kind);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }

    private sealed class Builder
    {
        private readonly Dictionary<LineageNode, List<LineageNode>> _upstream = [];
        private readonly Dictionary<LineageNode, List<LineageNode>> _downstream = [];
        private readonly HashSet<LineageEdge> _edges = [];

        public void Add(LineageNode node)
        {
            if (!_upstream.ContainsKey(node))
            {
                _upstream[node] = [];
                _downstream[node] = [];
            }
        }

        public void Add(LineageNode from, LineageNode to)
        {
            Add(from);
            Add(to);
            if (_edges.Add(new LineageEdge(from, to)))
            {
                _upstream[to].Add(from);
                _downstream[from].Add(to);
            }
        }

        public LineageGraph Build(string project)
        {
            var nodes = new List<LineageNode>(_upstream.Keys);
            nodes.Sort(Order);
            foreach (var list in _upstream.Values)
            {
                list.Sort(Order);
            }

            foreach (var list in _downstream.Values)
            {
                list.Sort(Order);
            }

            var edges = new List<LineageEdge>(_edges);
            edges.Sort(static (a, b) => Order(a.To, b.To) is var c && c != 0 ? c : Order(a.From, b.From));
            return new LineageGraph(project, nodes, edges, _upstream, _downstream);
        }
    }
}
