namespace Granary.Registry.Catalog;

/// <summary>
/// What an apply writes to the catalog for one entry, in the apply's transaction: the entry as it becomes and, when
/// the change is more than usage counters, the new version.
/// </summary>
/// <param name="Entry">The entry after the apply; <see cref="CatalogEntry.UsageCount"/> and <see cref="CatalogEntry.LastUsedAt"/> are kept as stored.</param>
/// <param name="NewVersion">The version the apply adds, or null when the entry's version stays.</param>
public sealed record CatalogWrite(CatalogEntry Entry, CatalogVersion? NewVersion);
