using Granary.Registry.Catalog;

namespace Granary.Governance;

/// <summary>
/// A feature to register in the catalog (<c>POST /api/v1/features</c>): a bare name that no view defines, and its
/// governed metadata. It starts as a <c>draft</c> at version <c>1.0.0</c>.
/// </summary>
/// <param name="Name">A bare feature name (letters, digits and underscores); <c>view:feature</c> names belong to apply.</param>
public sealed record CatalogEntryCreate(string Name)
{
    public string Owner { get; init; } = "";

    public string Description { get; init; } = "";

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>One of raw, derived, technical_indicator, fundamental, sentiment, macro_economic, behavioral, embedding; or null.</summary>
    public string? FeatureType { get; init; }

    /// <summary>float, integer, string, boolean, timestamp or a Granary dtype; stored in Granary's spelling (<c>float64</c>, ...).</summary>
    public string? DataType { get; init; }

    public FeatureTransformation? Transformation { get; init; }

    public IReadOnlyList<CatalogValidationRule> ValidationRules { get; init; } = [];

    /// <summary>Catalog names this feature is computed from; none may depend on the new feature (no cycles).</summary>
    public IReadOnlyList<string> UpstreamFeatures { get; init; } = [];
}
