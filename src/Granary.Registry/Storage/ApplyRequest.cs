using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Registry.Storage;

/// <summary>Everything one apply writes.</summary>
/// <param name="Project">The project applied to.</param>
/// <param name="ExpectedVersion">The version the changes were planned against (0 for a new project).</param>
/// <param name="Changes">The objects added, updated and removed; may be empty (an apply that changes nothing still records history).</param>
/// <param name="Definitions">The whole repository as applied, as canonical JSON, kept in history for audit and rollback.</param>
/// <param name="AppliedBy">Who applied, as far as the machine knows (user@host).</param>
/// <param name="AppliedAt">When (UTC).</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record ApplyRequest(
    string Project,
    long ExpectedVersion,
    IReadOnlyList<ObjectChange> Changes,
    string Definitions,
    string AppliedBy,
    DateTimeOffset AppliedAt)
{
    /// <summary>The catalog entries and versions the apply writes, in the same transaction as the objects.</summary>
    public IReadOnlyList<Catalog.CatalogWrite> Catalog { get; init; } = [];
}
