using System.Diagnostics.CodeAnalysis;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Providers;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;

namespace Granary.Governance;

/// <summary>
/// The governed catalog of a project's features and views (<c>FeatureStore.Catalog</c>): metadata, lifecycle
/// (<c>draft → active → deprecated → archived</c>), semantic versions with rollback, lineage, impact and usage. The
/// REST API under <c>/api/v1/features</c> and the CLI's <c>granary features</c> are thin layers over it. Every
/// refusal is a <see cref="GranaryException"/>: <c>not_found</c>, <c>already_exists</c>, <c>conflict</c> (a wrong
/// lifecycle state or active dependents, named), <c>unprocessable</c> (version order, a breaking change without a
/// major bump, a cycle) or <c>invalid_argument</c> (naming the field).
/// </summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId, Justification = "The catalog store is the registry's own; users see only this class.")]
public sealed partial class FeatureCatalog
{
    private readonly FeatureStore _owner;
    private readonly ICatalogStore _store;
    private readonly string _defaultEnvironment;
    // Built once per registry snapshot (which carries the catalog): a catalog write makes a new snapshot.
    private volatile LineageSnapshot? _graph;

    internal FeatureCatalog(FeatureStore owner, ICatalogStore store, string defaultEnvironment)
    {
        _owner = owner;
        _store = store;
        _defaultEnvironment = defaultEnvironment;
    }

    private string Project => _owner.Project;

    private DateTimeOffset Now => _owner.Settings.TimeProvider.GetUtcNow();

    private static LineageNode NodeOf(CatalogEntry entry) =>
        new(entry.Kind == CatalogEntryKind.View ? LineageNodeKind.FeatureView : LineageNodeKind.Feature, entry.Name);

    private static CatalogVersion? FindVersion(IReadOnlyList<CatalogVersion> versions, SemanticVersion version)
    {
        foreach (var v in versions)
        {
            if (v.Version == version)
            {
                return v;
            }
        }

        return null;
    }

    private GranaryException NotFound(string name) =>
        new(ErrorCodes.NotFound, $"Feature '{name}' is not in the catalog of project '{Project}'.");

    private async Task<CatalogEntry?> FindAsync(string name, CancellationToken ct) =>
        await _owner.CatalogExistsAsync(ct) ? await _store.GetCatalogEntryAsync(Project, name, ct) : null;

    private async Task<CatalogVersion?> StoredVersionAsync(string name, SemanticVersion version, CancellationToken ct) =>
        FindVersion(await _store.ListVersionsAsync(Project, name, ct), version);

    private async Task<CatalogEntry> SaveAsync(CatalogEntry entry, CancellationToken ct)
    {
        if (!await _store.UpdateCatalogEntryAsync(entry, ct))
        {
            throw NotFound(entry.Name);
        }

        await ChangedAsync(ct);
        return await GetAsync(entry.Name, ct);
    }

    private async Task ChangedAsync(CancellationToken ct)
    {
        _graph = null;
        await _owner.RefreshRegistryQuietlyAsync(ct);
    }

    /// <summary>The lineage of the registry readers see and the catalog; <paramref name="fresh"/> reads the catalog again (for checks before a write).</summary>
    private async Task<(RegistryContents Registry, IReadOnlyList<CatalogEntry> Entries, LineageGraph Graph)> GraphAsync(bool fresh, CancellationToken ct)
    {
        if (fresh)
        {
            // Checks before a write see the catalog as it is now, not as of the last refresh.
            await _owner.RefreshRegistryQuietlyAsync(ct);
        }

        var registry = await _owner.GetRegistryAsync(ct);
        if (_graph is { } cached && ReferenceEquals(cached.Registry, registry))
        {
            return (cached.Registry, cached.Entries, cached.Graph);
        }

        var entries = registry.Catalog.Entries;
        var built = new LineageSnapshot(registry, entries, LineageGraph.Build(Project, registry.Definitions, entries));
        _graph = built;
        return (built.Registry, built.Entries, built.Graph);
    }

    private sealed record LineageSnapshot(RegistryContents Registry, IReadOnlyList<CatalogEntry> Entries, LineageGraph Graph);
}
