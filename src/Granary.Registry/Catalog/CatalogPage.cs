namespace Granary.Registry.Catalog;

/// <summary>One page of a catalog listing, ordered by name, and how many entries match in all.</summary>
public sealed record CatalogPage(IReadOnlyList<CatalogEntry> Entries, int Total);
