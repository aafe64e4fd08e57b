using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Online;

/// <summary>
/// Where the latest feature values live for serving. A store holds one opaque record per (view, entity key)
/// (see <see cref="Core.Values.OnlineRecord"/>) and applies writes last-write-wins by the record's event time, then created
/// time, so replaying a materialization or a stream is harmless. A stored record of another schema (a view whose
/// features changed) never blocks a write (<see cref="Core.Values.OnlineRecord.Replaces"/>), so materializing a changed view
/// brings its values back. Every store passes the same contract suite
/// (<c>tests/Granary.Tests/Online/OnlineStoreContract.cs</c>).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IOnlineStore : IAsyncDisposable
{
    /// <summary>The store's type in <c>granary.yaml</c>: <c>embedded</c> or <c>redis</c>.</summary>
    string Name { get; }

    /// <summary>Prepares the store (creates files, connects); safe to call repeatedly.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes records durably, each only if it replaces the stored one (<see cref="Core.Values.OnlineRecord.Replaces"/>: it
    /// supersedes it, or the stored one was written under another schema).
    /// When the task completes the writes are acknowledged: they survive a crash of this process. Returns how many
    /// records replaced or created a value.
    /// </summary>
    Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the records of <paramref name="keys"/> into <paramref name="records"/> (same length; null where there is
    /// none). Many keys are read in one batch (one round trip for network stores).
    /// </summary>
    ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default);

    /// <summary>The end of the last materialization interval durably written for <paramref name="view"/>, or null.</summary>
    Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="view"/> is materialized up to <paramref name="watermark"/>.</summary>
    Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every record and watermark this store holds for its project (<c>granary teardown</c>), so the next
    /// materialization starts from nothing. Other projects sharing the same server keep theirs. Writes after it
    /// behave as in a new store.
    /// </summary>
    Task TeardownAsync(CancellationToken cancellationToken = default);
}
