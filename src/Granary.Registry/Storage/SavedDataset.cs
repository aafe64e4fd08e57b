using System.Collections.Frozen;

namespace Granary.Registry.Storage;

/// <summary>
/// A training dataset recorded in the registry (<c>get-historical --save-as</c>): what it was built from, so it can be
/// listed, audited and reproduced. Saved datasets are not definitions: an apply never removes them.
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="Name">Unique within the project; saving again under a name replaces the record.</param>
/// <param name="Features">The feature references retrieved (<c>view:feature</c>, <c>view@v2:feature</c>), in output order.</param>
/// <param name="FeatureService">The feature service they came from, if one was named.</param>
/// <param name="Entities">The entity rows: a file path or a SQL query.</param>
/// <param name="EntitiesKind"><c>file</c>, <c>query</c> or <c>relation</c>.</param>
/// <param name="FullFeatureNames">Whether columns were named <c>view__feature</c>.</param>
/// <param name="FilterByCreatedTimestamp">Whether rows created after the entity row's time were ignored.</param>
/// <param name="StartTime">The earliest entity-row timestamp (UTC); null for an empty dataset.</param>
/// <param name="EndTime">The latest entity-row timestamp (UTC); null for an empty dataset.</param>
/// <param name="RowCount">Rows written.</param>
/// <param name="Output">Where the data was written (absolute path).</param>
/// <param name="RegistryVersion">The registry version whose definitions were used.</param>
/// <param name="CreatedAt">When it was saved (UTC).</param>
/// <param name="CreatedBy">Who saved it (user@host).</param>
public sealed record SavedDataset(
    string Project,
    string Name,
    IReadOnlyList<string> Features,
    string? FeatureService,
    string Entities,
    string EntitiesKind,
    bool FullFeatureNames,
    bool FilterByCreatedTimestamp,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    long RowCount,
    string Output,
    long RegistryVersion,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <summary>
    /// The version of its view each feature was built from, by reference (<c>view:feature</c> or <c>view@v2:feature</c>
    /// → <c>1.2.0</c>); empty for a dataset saved before views had versions.
    /// </summary>
    public IReadOnlyDictionary<string, string> FeatureVersions { get; init; } = FrozenDictionary<string, string>.Empty;
}
