using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Online;

/// <summary>
/// Where the latest feature values live for serving. A store holds one opaque record per (view, entity key)
/// (see <see cref="Core.Values.OnlineRecord"/>) and applies writes last-write-wins by the record's event time, then created
/// time, so replaying a materialization or a stream is harmless. A stored record of another schema (a view whose
/// features changed) never blocks a write (<see cref="Core.Values.OnlineRecord.Replaces"/>), so materializing a changed view
/// brings its values back. Every store passes the same contract suite
/// (<c>tests/Granary.Tests/Online/OnlineStoreContract*.cs</c>), whose rules are these:
/// <list type="bullet">
/// <item><b>Order of checks.</b> Every call first checks its arguments (<see cref="ArgumentNullException"/>,
/// <see cref="ArgumentException"/>, or <see cref="Core.Errors.GranaryException"/> with <c>invalid_argument</c> for a
/// record that is not an online record), then that the store is not disposed (<see cref="ObjectDisposedException"/>),
/// then the token (<see cref="OperationCanceledException"/>); a call refused by any of these has done nothing. Empty
/// batches follow the same order: an empty write on a disposed store throws like any other.</item>
/// <item><b>Initialization.</b> <see cref="InitializeAsync"/> is idempotent, and a call on a store not initialized yet
/// initializes it first, so a store whose backend was down at start-up recovers on a later call.</item>
/// <item><b>Views.</b> A view is any non-empty name; one never written reads null records and a null watermark.</item>
/// <item><b>Failures.</b> An unreachable or failing backend is a <see cref="Core.Errors.GranaryException"/> with
/// <c>online_store_unavailable</c>.</item>
/// <item><b>Disposal.</b> <see cref="IAsyncDisposable.DisposeAsync"/> is idempotent and waits for writes already
/// accepted, whose tasks complete as usual; every later call but <see cref="Name"/> throws
/// <see cref="ObjectDisposedException"/>.</item>
/// </list>
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
    /// <remarks>
    /// <para>The writes apply in list order: a key written twice in one batch is judged the second time against the
    /// first write's winner, and the count includes every write that replaced the value before it (so a batch of writes
    /// to distinct keys returns how many keys changed; replaying a batch of one schema returns 0).</para>
    /// <para>The whole batch is checked before any of it is applied: one invalid write refuses the batch.</para>
    /// <para>Cancellation: a token cancelled before the call writes nothing. Cancelled while the call runs, the task
    /// either completes with its count (everything applied) or is cancelled; then some of the writes may have been
    /// applied, each one whole, and replaying the batch is safe. A failure likewise may leave part of a batch applied.
    /// Either way, once the task has completed, nothing more of the batch is applied later.</para>
    /// <para>The store may keep the record arrays: do not change <paramref name="writes"/> before the task completes,
    /// nor its records ever after.</para>
    /// </remarks>
    Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the records of <paramref name="keys"/> into the first <c>keys.Count</c> slots of
    /// <paramref name="records"/> (null where there is none); slots past those are left as they are, so a pooled,
    /// longer array serves. Many keys are read in one batch (one round trip for network stores).
    /// </summary>
    /// <remarks>
    /// A key given twice gets the same record in both slots. Fewer slots than keys is an
    /// <see cref="ArgumentException"/>. The records returned may be the store's own arrays: read them, never change them.
    /// </remarks>
    ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default);

    /// <summary>The end of the last materialization interval durably written for <paramref name="view"/>, or null.</summary>
    Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="view"/> is materialized up to <paramref name="watermark"/>.</summary>
    Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes every record and watermark this store holds for its project (<c>granary teardown</c>), so the next
    /// materialization starts from nothing. Other projects sharing the same server keep theirs. Writes after it
    /// behave as in a new store; writes running while it runs may survive it.
    /// </summary>
    Task TeardownAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The store's <typeparamref name="TCapability"/> (such as <see cref="IAggregateStateStore"/>), or null when it has
    /// none. By default the store itself when it implements the interface; a store that wraps another (for tracing,
    /// say) returns the wrapped store's capability instead, without implementing every capability interface itself.
    /// </summary>
    TCapability? GetCapability<TCapability>()
        where TCapability : class => this as TCapability;
}
