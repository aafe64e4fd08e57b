namespace Granary.Registry.Catalog;

/// <summary>What a catalog entry describes.</summary>
public enum CatalogEntryKind
{
    /// <summary>One feature: <c>view:feature</c> for a feature a view defines, a bare name for one registered through the API.</summary>
    Feature,

    /// <summary>A feature view, named as the view.</summary>
    View,
}
