using Granary.Registry.Catalog;

namespace Granary.Registry.Governance;

/// <summary>The catalog as an apply finds it: the project's entries and every version of each.</summary>
internal sealed record CatalogState(IReadOnlyList<CatalogEntry> Entries, IReadOnlyList<CatalogVersion> Versions)
{
    public static readonly CatalogState Empty = new([], []);
}
