using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Offline.Retrieval;

namespace Granary.Offline;

/// <summary>
/// A stream view's logged events, streamed out of the engine in the order a per-key fold wants them: what backfill
/// reads to compute the online aggregate state from the log. Ordering by key first lets the reader finish one key
/// before the next, so memory follows one key's state, not every key's.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IStreamEventReader
{
    /// <summary>
    /// The events of <see cref="StreamEventsRequest.View"/> with an event time in the request's interval, ordered by
    /// the join keys, then as logged (the log's own order where it has one, else by event time), so that of two copies
    /// of a key's event id the one logged first comes first (see <see cref="StreamEventsRequest"/> for the columns). Dispose the result to
    /// release the engine's connection.
    /// </summary>
    Task<OfflineRows> ReadEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default);

    /// <summary>How many events <see cref="ReadEventsAsync"/> would return, for progress.</summary>
    Task<long> CountEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default);
}
