using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Offline.Retrieval;

/// <summary>
/// One feature view of a historical retrieval, already resolved: its file source, the join keys it is matched on
/// (names as they appear in the entity table) and the features requested from it.
/// </summary>
/// <param name="View">The view; its name prefixes full feature names and its TTL bounds how old a value may be.</param>
/// <param name="Source">The view's batch source (a push source's batch source). Column names go through <see cref="BatchSource.SourceColumnFor"/>.</param>
/// <param name="JoinKeys">The join keys of the view's entities; empty for a view with no entity.</param>
/// <param name="Features">The requested feature names, in output order.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record PointInTimeView(
    FeatureView View,
    BatchSource Source,
    IReadOnlyList<string> JoinKeys,
    IReadOnlyList<string> Features);
