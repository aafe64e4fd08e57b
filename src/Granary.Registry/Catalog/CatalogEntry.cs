namespace Granary.Registry.Catalog;

/// <summary>One feature or view in the governed catalog of a project.</summary>
/// <param name="Project">The project.</param>
/// <param name="Name"><c>view:feature</c>, a bare feature name, or a view's name.</param>
/// <param name="Kind">Feature or view.</param>
public sealed record CatalogEntry(string Project, string Name, CatalogEntryKind Kind)
{
    public CatalogMetadata Metadata { get; init; } = CatalogMetadata.Empty;

    public LifecycleStatus Status { get; init; } = LifecycleStatus.Active;

    /// <summary>The version that serves by default; a version staged with <c>apply --no-promote</c> is newer but not current.</summary>
    public SemanticVersion CurrentVersion { get; init; } = SemanticVersion.Initial;

    /// <summary>True when a view of the applied definitions defines this entry (it was created by <c>apply</c>).</summary>
    public bool Defined { get; init; }

    /// <summary>
    /// The metadata keys (<c>owner</c>, <c>description</c>, <c>tags</c>, <c>feature_type</c>, <c>transformation</c>,
    /// <c>validation_rules</c>, ...) whose value came from the definitions; <c>apply</c> only ever changes these, so
    /// what the API set survives every apply.
    /// </summary>
    public IReadOnlySet<string> AppliedKeys { get; init; } = new HashSet<string>();

    public long UsageCount { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? DeprecatedAt { get; init; }
}
