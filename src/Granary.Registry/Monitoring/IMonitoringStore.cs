using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Registry.Monitoring;

/// <summary>
/// The monitoring state kept in the registry's database: the newest event time per view, for freshness, and the last
/// firing of each alert, for its cool-down.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IMonitoringStore
{
    /// <summary>
    /// Moves each view's newest event time forward to the one given, never back: an older time (a backfill, a replay)
    /// leaves the stored one, and its <see cref="ViewNewestEvent.RecordedAt"/>, as they were. All are written in one transaction.
    /// </summary>
    Task RecordNewestEventsAsync(string project, IReadOnlyList<ViewNewestEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Every view's newest event time the project has recorded, in view-name order.</summary>
    Task<IReadOnlyList<ViewNewestEvent>> GetNewestEventsAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves each (alert, view, condition)'s last firing forward to the time given, never back, in one transaction, so
    /// every process that evaluates the alerts sees the same cool-down.
    /// </summary>
    Task RecordAlertFiringsAsync(string project, IReadOnlyList<AlertFiring> firings, CancellationToken cancellationToken = default);

    /// <summary>The last firing of every (alert, view, condition) the project has recorded, ordered by alert, view and condition.</summary>
    Task<IReadOnlyList<AlertFiring>> GetAlertFiringsAsync(string project, CancellationToken cancellationToken = default);
}
