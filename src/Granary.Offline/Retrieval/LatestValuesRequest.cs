using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Offline.Retrieval;

/// <summary>
/// What materialization reads: for one view, the latest source row per entity key among rows whose event time is in
/// [<see cref="Start"/>, <see cref="End"/>] (both inclusive), ties on event time going to the latest created time.
/// Rows come out as the join keys (in <see cref="PointInTimeView.JoinKeys"/> order), then the event time, the created
/// time (null when the source has none), then the features (in <see cref="PointInTimeView.Features"/> order).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record LatestValuesRequest(PointInTimeView View, DateTimeOffset Start, DateTimeOffset End, string RepositoryRoot)
{
    /// <summary>
    /// Adds a last column, after the features: how many source rows of the entity have the latest row's event time,
    /// at least 1 (an engine may stop counting at 2). More than one means the entity's latest value is ambiguous, which
    /// a <c>unique</c> validation rule refuses.
    /// </summary>
    public bool CountTies { get; init; }
}
