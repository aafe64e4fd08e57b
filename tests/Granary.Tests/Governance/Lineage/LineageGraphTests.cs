using Granary.Registry.Catalog;
using Granary.Registry.Lineage;
using Granary.Registry.Loading;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Governance.Lineage;

/// <summary>The edges the sample repository's definitions and catalog upstreams make.</summary>
public sealed class LineageGraphTests
{
    private static LineageNode Source(string name) => new(LineageNodeKind.DataSource, name);

    private static LineageNode View(string name) => new(LineageNodeKind.FeatureView, name);

    private static LineageNode Feature(string name) => new(LineageNodeKind.Feature, name);

    private static LineageNode Service(string name) => new(LineageNodeKind.FeatureService, name);

    private static LineageGraph SampleGraph(params CatalogEntry[] entries)
    {
        using var repo = SampleRepository.Create();
        var loaded = RepositoryLoader.Load(repo.Root);
        Assert.Empty(loaded.Diagnostics);
        return LineageGraph.Build("shop", loaded.Definitions, entries);
    }

    [Fact]
    public void Definitions_join_batch_source_to_push_source_source_to_view_view_to_features_and_features_to_services()
    {
        var graph = SampleGraph();

        Assert.Equal([Source("user_stats_source")], graph.UpstreamOf(Source("user_stats_push")));
        Assert.Equal([Source("user_stats_source")], graph.UpstreamOf(View("user_stats")));
        Assert.Equal([Feature("user_stats:orders_7d"), Feature("user_stats:spend_7d")], graph.DownstreamOf(View("user_stats")));
        Assert.Equal([Feature("item_info:price"), Feature("user_stats:orders_7d")], graph.UpstreamOf(Service("recommender")));
        Assert.Equal([Service("recommender")], graph.DownstreamOf(Feature("item_info:price")));
        Assert.Empty(graph.DownstreamOf(Feature("item_info:category")));
    }

    [Fact]
    public void Join_keys_are_not_features()
    {
        var graph = SampleGraph();

        Assert.DoesNotContain(graph.Nodes, n => n.Name is "user_stats:user_id" or "item_info:item_id");
    }

    [Fact]
    public void Catalog_upstreams_feed_the_entry_and_a_view_name_resolves_to_the_view()
    {
        var derived = new CatalogEntry("shop", "spend_per_order", CatalogEntryKind.Feature)
        {
            Metadata = new CatalogMetadata { UpstreamFeatures = ["user_stats:spend_7d", "user_stats"] },
        };
        var graph = SampleGraph(derived);

        Assert.Equal([View("user_stats"), Feature("user_stats:spend_7d")], graph.UpstreamOf(Feature("spend_per_order")));
        Assert.Contains(Feature("spend_per_order"), graph.AllDownstreamOf(Source("user_stats_source")));
        Assert.Equal(View("user_stats"), graph.NodeOf("user_stats"));
        Assert.Equal(Feature("spend_per_order"), graph.NodeOf("spend_per_order"));
    }

    [Fact]
    public void Recursive_downstream_of_a_source_reaches_the_services_through_views_and_features()
    {
        var graph = SampleGraph();

        var all = graph.AllDownstreamOf(Source("user_stats_source"));

        Assert.Equal(
            [Source("user_stats_push"), View("user_stats"), Feature("user_stats:orders_7d"), Feature("user_stats:spend_7d"), Service("recommender")],
            all.OrderBy(n => n.Kind).ThenBy(n => n.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_edge_appears_once_in_edges_and_in_both_neighbour_lists()
    {
        var graph = SampleGraph(new CatalogEntry("shop", "x", CatalogEntryKind.Feature)
        {
            Metadata = new CatalogMetadata { UpstreamFeatures = ["user_stats:spend_7d"] },
        });

        Assert.Equal(graph.Edges.Count, graph.Edges.Distinct().Count());
        Assert.Equal(graph.Edges.Count, graph.Nodes.Sum(n => graph.DownstreamOf(n).Count));
        foreach (var edge in graph.Edges)
        {
            Assert.Contains(edge.To, graph.DownstreamOf(edge.From));
            Assert.Contains(edge.From, graph.UpstreamOf(edge.To));
        }
    }
}
