using Granary.Registry.Catalog;

namespace Granary.Governance;

/// <summary>
/// Changes to a catalog entry (<c>PUT /api/v1/features/{name}</c>): each field left null stays as it is. A key set
/// here is the API's from then on: apply no longer changes it. A metadata update adds no version; versions come from
/// apply or <see cref="FeatureCatalog.CreateVersionAsync"/>.
/// </summary>
public sealed record CatalogEntryUpdate
{
    public string? Description { get; init; }

    public string? Owner { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? FeatureType { get; init; }

    public string? DataType { get; init; }

    public FeatureTransformation? Transformation { get; init; }

    public IReadOnlyList<CatalogValidationRule>? ValidationRules { get; init; }

    public IReadOnlyList<string>? UpstreamFeatures { get; init; }

    /// <summary>A new status, reached by the lifecycle's rules as activate, deprecate and archive would.</summary>
    public LifecycleStatus? Status { get; init; }
}
