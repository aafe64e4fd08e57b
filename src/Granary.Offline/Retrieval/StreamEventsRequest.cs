using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Offline.Retrieval;

/// <summary>
/// What backfill reads: the logged events of one stream view whose event time, in Unix microseconds, is in
/// [<see cref="StartMicros"/>, <see cref="EndMicros"/>] (both inclusive); events without a time are left out. Rows come
/// out as the join keys (<c>__k0</c>, ... in <see cref="PointInTimeView.JoinKeys"/> order), the event time as Unix
/// microseconds (<c>__ts</c>, a 64-bit integer), then the event columns named by <see cref="PointInTimeView.Features"/>
/// (<c>__f0</c>, ...), which for this request are the columns the aggregations read and the event id field.
/// </summary>
/// <param name="View">The view, its event log as <see cref="PointInTimeView.Source"/>, the event columns as features.</param>
/// <param name="StartMicros">The earliest event time read.</param>
/// <param name="EndMicros">The latest event time read.</param>
/// <param name="RepositoryRoot">Where relative file paths resolve.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record StreamEventsRequest(PointInTimeView View, long StartMicros, long EndMicros, string RepositoryRoot)
{
    /// <summary>The output column of the event time in microseconds.</summary>
    public const string TimeColumn = "__ts";
}
