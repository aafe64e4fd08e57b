namespace Granary.Registry.Catalog;

/// <summary>
/// One version of a catalog entry, written once. Rollback never rewrites one: it adds a newer version restoring an
/// older one's snapshots and marks the version that was current as rolled back.
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="Name">The entry's name.</param>
/// <param name="Version">The version, unique per entry.</param>
public sealed record CatalogVersion(string Project, string Name, SemanticVersion Version)
{
    public string Changelog { get; init; } = "";

    /// <summary>One line per breaking change (empty unless the major version moved).</summary>
    public IReadOnlyList<string> BreakingChanges { get; init; } = [];

    public FeatureTransformation? TransformationSnapshot { get; init; }

    public IReadOnlyList<CatalogValidationRule> ValidationSnapshot { get; init; } = [];

    /// <summary>
    /// For a view, the view's canonical JSON at this version (what serving <c>view@v2:feature</c> resolves); for a
    /// feature defined by a view, the field's; null for a feature only the API knows.
    /// </summary>
    public string? DefinitionSnapshot { get; init; }

    /// <summary>The registry version of the apply that made this version; null for one created through the API.</summary>
    public long? RegistryVersion { get; init; }

    /// <summary>False for a version staged by <c>apply --no-promote</c> and not made current since.</summary>
    public bool Promoted { get; init; } = true;

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public bool IsRolledBack { get; init; }

    public DateTimeOffset? RolledBackAt { get; init; }

    /// <summary>The version a rollback restored, or null.</summary>
    public SemanticVersion? RestoredFrom { get; init; }
}
