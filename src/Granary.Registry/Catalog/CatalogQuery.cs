namespace Granary.Registry.Catalog;

/// <summary>Filters and paging of a catalog listing; every filter set must match.</summary>
public sealed record CatalogQuery
{
    public static readonly CatalogQuery All = new();

    /// <summary>Null for both kinds.</summary>
    public CatalogEntryKind? Kind { get; init; }

    public string? FeatureType { get; init; }

    public LifecycleStatus? Status { get; init; }

    public string? Owner { get; init; }

    /// <summary>Entries must carry every one of these tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public int Skip { get; init; }

    public int Limit { get; init; } = 50;
}
