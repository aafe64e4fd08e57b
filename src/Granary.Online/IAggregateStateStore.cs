using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Online;

/// <summary>
/// The capability of an online store to keep stream feature views' aggregate state (see docs/streaming.md, "Online"):
/// one opaque state per (view, entity key) with a version that every successful write increases, written only by
/// compare-and-set, so any number of consumers, in any number of processes, may apply any event: each reads a key's
/// state and version, applies its events, and writes back only if nobody wrote the key in between, else reads again.
/// Beside the states, a store keeps each stream source's newest event time seen (its lateness watermark), which only
/// moves forward. Ask a store for it with <see cref="IOnlineStore.GetCapability{TCapability}"/>. Every store passes
/// the same contract suite (<c>tests/Granary.Tests/Online/AggregateStateStoreContract.cs</c>); the order of checks, the
/// failures and disposal are those of <see cref="IOnlineStore"/>, and its <see cref="IOnlineStore.TeardownAsync"/>
/// removes the states and watermarks too.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IAggregateStateStore
{
    /// <summary>
    /// Reads the states of <paramref name="keys"/> into the first <c>keys.Count</c> slots of <paramref name="states"/>
    /// (<c>default</c>, version 0, where there is none), in one batch (one round trip for network stores).
    /// </summary>
    /// <remarks>The state arrays returned may be the store's own: read them, never change them.</remarks>
    ValueTask ReadStatesAsync(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes each state whose key is still at its <see cref="AggregateStateWrite.ExpectedVersion"/> (0: the key has
    /// none), moving it to the next version; sets <c>applied[i]</c> for each write that was, and returns how many were.
    /// Each write is atomic on its own; a batch is not (a write whose key moved on is refused, the others still apply).
    /// When the task completes the applied writes are durable as the store's records are.
    /// </summary>
    /// <remarks>A key may appear only once in a batch (<see cref="ArgumentException"/>).</remarks>
    Task<int> CompareAndSetStatesAsync(IReadOnlyList<AggregateStateWrite> writes, bool[] applied, CancellationToken cancellationToken = default);

    /// <summary>The newest event time (Unix microseconds) recorded for stream source <paramref name="source"/>, or null.</summary>
    Task<long?> GetStreamWatermarkAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="source"/> has delivered an event at <paramref name="eventMicros"/>: the watermark
    /// becomes the later of it and the stored one, atomically, so concurrent consumers never move it back.
    /// </summary>
    Task AdvanceStreamWatermarkAsync(string source, long eventMicros, CancellationToken cancellationToken = default);
}
