using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Catalog;
using Granary.Registry.Governance;
using Granary.Registry.Storage;

namespace Granary.Registry.Planning;

/// <summary>
/// What an apply would do to the registry: computed against <see cref="BaseVersion"/>, and valid only while the
/// registry is still at that version (apply checks, and rejects a stale plan).
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="BaseVersion">The registry version the plan was computed against.</param>
/// <param name="Changes">Adds, updates and removes, in dependency order.</param>
/// <param name="Definitions">Canonical JSON of the whole repository, recorded in history on apply.</param>
/// <param name="Unchanged">How many objects stay as they are.</param>
public sealed record RegistryPlan(
    string Project,
    long BaseVersion,
    IReadOnlyList<PlannedChange> Changes,
    string Definitions,
    int Unchanged)
{
    public bool HasChanges => Changes.Count > 0;

    /// <summary>
    /// Online feature views, by name, whose stored online records this plan orphans: their features (names, types or
    /// order) or the value types of their join keys change. Until they are materialized again their entities read as
    /// NOT_FOUND, because a record is never decoded under another schema.
    /// </summary>
    public IReadOnlyList<string> ViewsToRematerialize { get; init; } = [];

    /// <summary>
    /// Online stream feature views, by name, with the features that have no state once this plan is applied (a new
    /// view's, or aggregations added to a live one): they serve from the next events unless backfilled.
    /// </summary>
    public IReadOnlyList<NewStreamFeatures> StreamFeaturesToBackfill { get; init; } = [];

    /// <summary>Advice found while validating (for example a large source table without an index); never blocks an apply.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>What the apply changes in the governed catalog (new entries, versions, promotions, archives), one line each, ordered by name.</summary>
    public IReadOnlyList<CatalogChange> CatalogChanges { get; init; } = [];

    /// <summary>The catalog entries and versions the apply writes, in the same transaction as the objects.</summary>
    public IReadOnlyList<CatalogWrite> CatalogWrites { get; init; } = [];

    /// <summary>
    /// Views whose new version <c>apply --no-promote</c> stages: the registry keeps their current definition (so
    /// unversioned reads are unchanged) and the new one is served only by its version, until a plain apply promotes it.
    /// </summary>
    public IReadOnlyList<string> StagedViews { get; init; } = [];

    public bool HasCatalogChanges => CatalogChanges.Count > 0;

    public int Count(ChangeAction action)
    {
        var n = 0;
        foreach (var change in Changes)
        {
            if (change.Action == action)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The store request that carries out this plan.</summary>
    public ApplyRequest ToApplyRequest(string appliedBy, DateTimeOffset appliedAt)
    {
        var changes = new List<ObjectChange>(Changes.Count);
        foreach (var change in Changes)
        {
            changes.Add(change.ToObjectChange());
        }

        return new ApplyRequest(Project, BaseVersion, changes, Definitions, appliedBy, appliedAt) { Catalog = CatalogWrites };
    }
}
