using Granary.Registry.Catalog;

namespace Granary.Registry.Governance;

/// <summary>What an apply writes to the catalog and the lines that say so.</summary>
/// <param name="Writes">The entry writes and new versions, in order (an entry may appear twice: catalogued, then versioned).</param>
/// <param name="Changes">One line per entry that changes, ordered by name.</param>
internal sealed record CatalogPlan(IReadOnlyList<CatalogWrite> Writes, IReadOnlyList<CatalogChange> Changes)
{
    public static readonly CatalogPlan None = new([], []);
}
