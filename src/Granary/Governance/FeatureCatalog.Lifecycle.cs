using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Governance;

// The lifecycle: draft → active → deprecated → archived, and the soft delete; refused while active dependents use an entry.
public sealed partial class FeatureCatalog
{
    /// <summary>Soft delete: a draft or active entry becomes deprecated (history and usage kept).</summary>
    /// <exception cref="GranaryException"><c>conflict</c> naming the active dependents, or when it is already deprecated or archived.</exception>
    public async Task<CatalogEntry> DeleteAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        if (entry.Status is not (LifecycleStatus.Draft or LifecycleStatus.Active))
        {
            throw WrongState(entry, "delete", "a draft or active");
        }

        var (_, entries, graph) = await GraphAsync(fresh: true, ct);
        var now = Now;
        return await SaveAsync(Deprecated(entry with { UpdatedAt = now }, "delete", graph, entries, now, fromDraft: true), ct);
    }

    /// <summary>A draft or deprecated entry becomes active.</summary>
    public async Task<CatalogEntry> ActivateAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        return await SaveAsync(Activated(entry with { UpdatedAt = Now }), ct);
    }

    /// <summary>An active entry becomes deprecated (serving it still works, with a warning).</summary>
    /// <exception cref="GranaryException"><c>conflict</c> naming the active dependents, or for an entry that is not active.</exception>
    public async Task<CatalogEntry> DeprecateAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        var (_, entries, graph) = await GraphAsync(fresh: true, ct);
        var now = Now;
        return await SaveAsync(Deprecated(entry with { UpdatedAt = now }, "deprecate", graph, entries, now), ct);
    }

    /// <summary>A deprecated entry becomes archived (serving it is refused).</summary>
    /// <exception cref="GranaryException"><c>conflict</c> naming the active dependents, or for an entry that is not deprecated.</exception>
    public async Task<CatalogEntry> ArchiveAsync(string name, CancellationToken ct = default)
    {
        var entry = await GetAsync(name, ct);
        var (_, entries, graph) = await GraphAsync(fresh: true, ct);
        return await SaveAsync(Archived(entry with { UpdatedAt = Now }, graph, entries), ct);
    }

    private static CatalogEntry Activated(CatalogEntry entry) =>
        entry.Status is LifecycleStatus.Draft or LifecycleStatus.Deprecated
            ? entry with { Status = LifecycleStatus.Active, DeprecatedAt = null }
            : throw WrongState(entry, "activate", "a draft or deprecated");

    private static CatalogEntry Deprecated(CatalogEntry entry, string action, LineageGraph graph, IReadOnlyList<CatalogEntry> entries, DateTimeOffset now, bool fromDraft = false)
    {
        if (!(entry.Status == LifecycleStatus.Active || (fromDraft && entry.Status == LifecycleStatus.Draft)))
        {
            throw WrongState(entry, action, fromDraft ? "a draft or active" : "an active");
        }

        CheckNoActiveDependents(entry, action, graph, entries);
        return entry with { Status = LifecycleStatus.Deprecated, DeprecatedAt = now };
    }

    private static CatalogEntry Archived(CatalogEntry entry, LineageGraph graph, IReadOnlyList<CatalogEntry> entries)
    {
        if (entry.Status != LifecycleStatus.Deprecated)
        {
            throw WrongState(entry, "archive", "a deprecated");
        }

        CheckNoActiveDependents(entry, "archive", graph, entries);
        return entry with { Status = LifecycleStatus.Archived };
    }

    private static void CheckNoActiveDependents(CatalogEntry entry, string action, LineageGraph graph, IReadOnlyList<CatalogEntry> entries)
    {
        var byNode = new Dictionary<LineageNode, CatalogEntry>();
        foreach (var e in entries)
        {
            byNode[NodeOf(e)] = e;
        }

        var active = new List<string>();
        foreach (var node in graph.AllDownstreamOf(NodeOf(entry)))
        {
            var isActive = node.Kind switch
            {
                LineageNodeKind.FeatureService => true,
                LineageNodeKind.DataSource => false,
                // A view or a feature of one with no entry yet is as apply makes it: active.
                _ => byNode.TryGetValue(node, out var dependent) ? dependent.Status == LifecycleStatus.Active : graph.UpstreamOf(node).Count > 0 && IsDefinedNode(graph, node),
            };
            if (isActive && node != NodeOf(entry))
            {
                active.Add($"{node.Kind.Key()} '{node.Name}'");
            }
        }

        if (active.Count > 0)
        {
            throw new GranaryException(ErrorCodes.Conflict,
                $"Cannot {action} '{entry.Name}': active dependents use it: {string.Join(", ", active)}. Deprecate them first, or change them to stop using it.");
        }
    }

    // A node the definitions make: a view fed by a source, or a feature fed by its view.
    private static bool IsDefinedNode(LineageGraph graph, LineageNode node)
    {
        foreach (var upstream in graph.UpstreamOf(node))
        {
            if ((node.Kind == LineageNodeKind.FeatureView && upstream.Kind == LineageNodeKind.DataSource)
                || (node.Kind == LineageNodeKind.Feature && upstream.Kind == LineageNodeKind.FeatureView && node.Name.StartsWith(upstream.Name + ":", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static GranaryException WrongState(CatalogEntry entry, string action, string expected) =>
        new(ErrorCodes.Conflict, $"Cannot {action} '{entry.Name}': it is {entry.Status.Key()}; only {expected} entry can be {Past(action)}.");

    private static string Past(string action) => action switch
    {
        "activate" => "activated",
        "deprecate" => "deprecated",
        "archive" => "archived",
        "delete" => "deleted",
        _ => action,
    };
}
