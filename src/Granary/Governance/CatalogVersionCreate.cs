using Granary.Registry.Catalog;

namespace Granary.Governance;

/// <summary>
/// A version to add to an entry (<c>POST /api/v1/features/{name}/versions</c>). It must be newer than every existing
/// version, and a non-empty <see cref="BreakingChanges"/> needs a major bump.
/// </summary>
public sealed record CatalogVersionCreate(SemanticVersion Version)
{
    public string Changelog { get; init; } = "";

    public IReadOnlyList<string> BreakingChanges { get; init; } = [];

    /// <summary>The transformation at this version; null keeps the entry's current one.</summary>
    public FeatureTransformation? TransformationSnapshot { get; init; }

    /// <summary>The validation rules at this version; null keeps the entry's current ones.</summary>
    public IReadOnlyList<CatalogValidationRule>? ValidationSnapshot { get; init; }
}
