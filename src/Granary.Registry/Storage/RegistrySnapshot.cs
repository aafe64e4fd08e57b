using Granary.Registry.Catalog;

namespace Granary.Registry.Storage;

/// <summary>
/// Every object of a project at one version, ordered by kind (dependency order) then name, with the project's catalog
/// as it stood in the same read.
/// </summary>
public sealed record RegistrySnapshot(string Project, long Version, IReadOnlyList<StoredObject> Objects)
{
    public static RegistrySnapshot Empty(string project) => new(project, 0, []);

    /// <summary>The catalog stamp read with the objects (see <see cref="RegistryStamp"/>); 0 when the catalog was never written.</summary>
    public long CatalogStamp { get; init; }

    /// <summary>The project's catalog entries, ordered by ordinal name.</summary>
    public IReadOnlyList<CatalogEntry> CatalogEntries { get; init; } = [];

    /// <summary>Every version of every entry, ordered by entry name, then newest first.</summary>
    public IReadOnlyList<CatalogVersion> CatalogVersions { get; init; } = [];
}
