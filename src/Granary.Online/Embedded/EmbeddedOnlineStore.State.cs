using Granary.Core.Values;

namespace Granary.Online.Embedded;

// Stream views' aggregate states: entries of memory like records (StateMemory), made durable as rows of the same log
// by the same background writer, compare-and-set decided there against memory caught up inside the write lock.
internal sealed partial class EmbeddedOnlineStore
{
    private readonly StateMemory _states = new();

    // The group's applied states so far by key (a later write of the same key must expect their version, not memory's),
    // and the applied writes with their versions and seqs, for publication and the callers' slots after the commit.
    private readonly Dictionary<(string View, EntityKey Entity), long> _pendingVersions = new(PendingKeyComparer.Instance);
    private readonly List<(QueuedWrite Request, int Index, long Version, long Seq)> _appliedStates = [];
    private SqliteStreamWatermarks? _streamWatermarks;

    /// <summary>States held in memory, over all stream views.</summary>
    public long StateCount => _states.Count;

    /// <inheritdoc />
    /// <remarks>
    /// A read of memory, without locks (like <see cref="ReadAsync"/>, it looks for other processes' writes at most once
    /// per <see cref="RefreshInterval"/>); each entry's state and version come from one reference, so they always match.
    /// </remarks>
    public ValueTask ReadStatesAsync(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckStateRead(keys, states);
        EnsureOpen(cancellationToken);
        RefreshWhenDue();
        _states.Read(keys, states);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Never blocks: the batch joins the write queue of <see cref="WriteAsync"/> (same group, transaction and fsync as
    /// concurrent record writes and other callers' states) and the task completes after that commit. The store keeps
    /// the state arrays: do not change them afterwards. Cancellation is that of <see cref="WriteAsync"/>.
    /// </remarks>
    public Task<int> CompareAndSetStatesAsync(IReadOnlyList<AggregateStateWrite> writes, bool[] applied, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckStateWrites(writes, applied);
        EnsureOpen(cancellationToken);
        return writes.Count == 0 ? Task.FromResult(0) : Enqueue(new QueuedWrite(writes, applied, _queue, cancellationToken));
    }

    /// <inheritdoc />
    public Task<long?> GetStreamWatermarkAsync(string source, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckSource(source);
        var watermarks = StreamWatermarks(cancellationToken);
        return Task.FromResult(Guard(() => watermarks.Get(source)));
    }

    /// <inheritdoc />
    public Task AdvanceStreamWatermarkAsync(string source, long eventMicros, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckSource(source);
        var watermarks = StreamWatermarks(cancellationToken);
        Guard(() =>
        {
            watermarks.Advance(source, eventMicros);
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <summary>
    /// In the group's transaction, after the catch-up: appends each write whose key is at its expected version (in
    /// memory, or after an earlier write of the same group) at the next version; returns how many were.
    /// </summary>
    private int AppendStates(SqliteRecordLog log, QueuedWrite request, IReadOnlyList<AggregateStateWrite> writes, ref long lastSeq)
    {
        var applied = 0;
        string? lastView = null;
        RecordTable<StoredState>? table = null;
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (!ReferenceEquals(write.View, lastView))
            {
                lastView = write.View;
                table = _states.Find(write.View);
            }

            var key = (write.View, write.Entity);
            var current = _pendingVersions.TryGetValue(key, out var pending) ? pending
                : table is not null && table.TryGet(write.Entity, out var held, out _) ? held.Version : 0;
            request.Applied![i] = false;
            if (current == write.ExpectedVersion)
            {
                lastSeq = log.AppendState(write.View, write.Entity, write.State, current + 1);
                _pendingVersions[key] = current + 1;
                _appliedStates.Add((request, i, current + 1, lastSeq));
                applied++;
            }
        }

        return applied;
    }

    /// <summary>After the commit: the applied states become visible, and their callers' slots say so.</summary>
    private void PublishStates()
    {
        string? publishedView = null;
        RecordTable<StoredState>? published = null;
        foreach (var (request, index, version, seq) in _appliedStates)
        {
            var write = request.StateWrites![index];
            if (!ReferenceEquals(write.View, publishedView))
            {
                publishedView = write.View;
                published = _states.Table(write.View);
            }

            published!.Set(write.Entity, new StoredState(write.State, version), seq);
            request.Applied![index] = true;
        }
    }

    /// <summary>The watermark table's connection, opened (after the log, which creates its tables) on first use.</summary>
    private SqliteStreamWatermarks StreamWatermarks(CancellationToken cancellationToken)
    {
        EnsureOpen(cancellationToken);
        if (Volatile.Read(ref _streamWatermarks) is { } watermarks)
        {
            return watermarks;
        }

        lock (_gate)
        {
            Current();
            return _streamWatermarks ??= Guard(() => new SqliteStreamWatermarks(_path));
        }
    }
}
