using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Offline;

/// <summary>
/// Keeps the sampled served rows of feature views (the serving log), so that what was served can be compared offline
/// with what training sees: one typed table per project and view (<see cref="ServingLogTable"/>).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IServingLog
{
    /// <summary>Appends served rows to the view's log, creating it on first use. All rows land or none do.</summary>
    Task AppendAsync(ServingLogTable table, IReadOnlyList<ServingLogRecord> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// The rows served in [<paramref name="start"/>, <paramref name="end"/>), ordered by <c>served_at</c>, in the columns
    /// <see cref="ServingLogTable.Columns"/> names; nothing (not an error) when the view has no log yet.
    /// </summary>
    Task<OfflineRows> ReadAsync(ServingLogTable table, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>Deletes the rows served before <paramref name="cutoff"/> (whole days where the log is kept by day); returns how many parts or rows went.</summary>
    Task<long> DeleteOlderThanAsync(ServingLogTable table, DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
