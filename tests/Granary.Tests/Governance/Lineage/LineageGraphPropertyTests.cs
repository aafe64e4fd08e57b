using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Tests.Governance.Lineage;

/// <summary>
/// On random catalogs (cycles included), the graph's direct and recursive neighbours equal a naive fixpoint closure
/// of the edge list, and a cycle is reported exactly when the new upstream edge would close one.
/// </summary>
public sealed class LineageGraphPropertyTests
{
    private const int Size = 8;

    private static LineageNode Node(int i) => new(LineageNodeKind.Feature, $"f{i}");

    /// <summary>Entry i lists as upstream each j whose bit is set in <c>masks[i]</c>.</summary>
    private static List<CatalogEntry> Entries(int[] masks)
    {
        var entries = new List<CatalogEntry>();
        for (var i = 0; i < masks.Length; i++)
        {
            var upstream = new List<string>();
            for (var j = 0; j < masks.Length; j++)
            {
                if ((masks[i] >> j & 1) == 1)
                {
                    upstream.Add($"f{j}");
                }
            }

            entries.Add(new CatalogEntry("p", $"f{i}", CatalogEntryKind.Feature) { Metadata = new CatalogMetadata { UpstreamFeatures = upstream } });
        }

        return entries;
    }

    // The reference: a reachability matrix grown until nothing changes, from the edge list alone.
    private static bool[,] Reachable(int[] masks)
    {
        var n = masks.Length;
        var reach = new bool[n, n]; // reach[a, b]: b is downstream of a
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                reach[j, i] |= (masks[i] >> j & 1) == 1;
            }
        }

        bool changed;
        do
        {
            changed = false;
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    for (var c = 0; c < n; c++)
                    {
                        if (!reach[a, c] && reach[a, b] && reach[b, c])
                        {
                            reach[a, c] = changed = true;
                        }
                    }
                }
            }
        }
        while (changed);

        return reach;
    }

    private static Arbitrary<int[]> Masks() =>
        Gen.Choose(1, Size).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, (1 << n) - 1), n)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Recursive_up_and_downstream_equal_the_naive_closure() =>
        Prop.ForAll(Masks(), masks =>
        {
            var graph = LineageGraph.Build("p", new DefinitionSet(), Entries(masks));
            var reach = Reachable(masks);
            for (var a = 0; a < masks.Length; a++)
            {
                var down = graph.AllDownstreamOf(Node(a)).ToHashSet();
                var up = graph.AllUpstreamOf(Node(a)).ToHashSet();
                for (var b = 0; b < masks.Length; b++)
                {
                    if (down.Contains(Node(b)) != reach[a, b] || up.Contains(Node(b)) != reach[b, a])
                    {
                        return false;
                    }
                }

                if (down.Count != Count(reach, a, downstream: true) || up.Count != Count(reach, a, downstream: false))
                {
                    return false;
                }

                var direct = graph.UpstreamOf(Node(a)).Select(n => n.Name).ToHashSet();
                var expected = Enumerable.Range(0, masks.Length).Where(j => (masks[a] >> j & 1) == 1).Select(j => $"f{j}").ToHashSet();
                if (!direct.SetEquals(expected))
                {
                    return false;
                }
            }

            return true;
        });

    [Property(MaxTest = 200)]
    public Property A_cycle_is_reported_exactly_when_the_new_edge_closes_one_and_the_path_is_made_of_edges() =>
        Prop.ForAll(Masks(), Gen.Choose(0, Size - 1).ToArbitrary(), Gen.Choose(0, Size - 1).ToArbitrary(), (masks, from, to) =>
        {
            from %= masks.Length;
            to %= masks.Length;
            var graph = LineageGraph.Build("p", new DefinitionSet(), Entries(masks));
            var reach = Reachable(masks);
            var cycle = graph.CycleIfAdded(Node(from), Node(to));
            var closes = from == to || reach[to, from];
            if (cycle is null)
            {
                return !closes;
            }

            if (!closes || cycle[0] != Node(to) || cycle[^1] != Node(to) || cycle[^2] != Node(from))
            {
                return false;
            }

            // Every step but the last (the edge being added) is an edge of the graph.
            for (var i = 0; i + 2 < cycle.Count; i++)
            {
                if (!graph.DownstreamOf(cycle[i]).Contains(cycle[i + 1]))
                {
                    return false;
                }
            }

            return true;
        });

    private static int Count(bool[,] reach, int node, bool downstream)
    {
        var count = 0;
        for (var other = 0; other < reach.GetLength(0); other++)
        {
            count += (downstream ? reach[node, other] : reach[other, node]) ? 1 : 0;
        }

        return count;
    }
}
