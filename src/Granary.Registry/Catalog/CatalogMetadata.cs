namespace Granary.Registry.Catalog;

/// <summary>
/// The governed, user-editable metadata of a catalog entry. <c>apply</c> writes the keys the YAML sets; the API writes
/// any of them; <c>apply</c> never clears a key the API set (see <see cref="CatalogEntry.AppliedKeys"/>).
/// </summary>
public sealed record CatalogMetadata
{
    public static readonly CatalogMetadata Empty = new();

    public string Owner { get; init; } = "";

    public string Description { get; init; } = "";

    /// <summary>Tags as the API shows them: plain strings, a YAML tag map entry <c>team: ads</c> as <c>team=ads</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// The category: raw, derived, technical_indicator, fundamental, sentiment, macro_economic, behavioral or embedding;
    /// null when not set.
    /// </summary>
    public string? FeatureType { get; init; }

    /// <summary>Granary's dtype spelling (<c>float64</c>, <c>int64</c>, ...); null for a view or when unknown.</summary>
    public string? DataType { get; init; }

    public FeatureTransformation? Transformation { get; init; }

    public IReadOnlyList<CatalogValidationRule> ValidationRules { get; init; } = [];

    /// <summary>Names of the catalog entries this one is computed from, beyond what the definitions already say.</summary>
    public IReadOnlyList<string> UpstreamFeatures { get; init; } = [];
}
