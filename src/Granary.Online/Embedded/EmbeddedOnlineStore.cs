using System.Collections.Concurrent;
using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Online.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Online.Embedded;

/// <summary>
/// The online store that needs no server: one SQLite file per feature repository (by default <c>data/online.db</c>)
/// holding an append-only log of winning records and applied stream aggregate states for durability, and every record
/// and state held in memory for reads. Writes go
/// through one background writer: it takes every batch queued by any caller as one group, decides last-write-wins
/// against memory under SQLite's write lock, appends the winners in one transaction, fsynced at commit (WAL,
/// <c>synchronous=FULL</c>: one fsync for the whole group), makes them visible to readers only after that commit, so a
/// reader never sees a value a crash could take back, and then completes each caller's task. Start-up replays the log
/// in sequence order; superseded rows are deleted when the log grows past twice the live records (see
/// <see cref="CompactionMinRows"/>). Reads are dictionary lookups that never touch the file, except a cheap check, at
/// most once per <see cref="RefreshInterval"/>, for rows another process (a <c>granary materialize</c> beside a
/// <c>granary serve</c>) committed to the same file. See docs/online-store.md for the measurements behind the design.
/// </summary>
internal sealed partial class EmbeddedOnlineStore : IOnlineStore, IAggregateStateStore
{
    /// <summary>How often, at most, a read looks for other processes' writes when none is given.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The log is compacted once it holds more than this many rows and more than twice the live records: rarely, and
    /// never for a small file.
    /// </summary>
    public const long CompactionMinRows = 100_000;

    /// <summary>
    /// Rows the write queue holds before callers wait (back-pressure), unless given: about 10 MB of typical records,
    /// many groups' worth of single-row pushes, and room for several materialization batches.
    /// </summary>
    public const int DefaultWriteQueueRows = 65_536;

    private readonly string _path;
    private readonly long _refreshTicks;
    private readonly ILogger _logger;
    private readonly RecordMemory _memory = new();

    // Guards the SQLite connection, _lastSeq, _dataVersion, _logRows and the group buffers: held by the background
    // writer for a group, and by watermarks, teardown and refreshes. Readers only try it, and only to refresh; a reader
    // that finds it taken serves from memory, which the holder is about to bring up to date.
    private readonly Lock _gate = new();

    // The group being written: its winners so far by key (a later write of the same key must beat them, not just
    // memory), and the winning writes with their seqs. Reused, so a group allocates nothing per row.
    private readonly Dictionary<(string View, EntityKey Entity), byte[]> _pending = new(PendingKeyComparer.Instance);
    private readonly List<(OnlineWrite Write, long Seq)> _winners = [];
    private readonly WriteQueue _queue;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _writer;
    private SqliteRecordLog? _log;
    private long _lastSeq;
    private long _dataVersion;
    private long _generation;

    // Rows in the log as far as this instance knows: loaded, caught up and appended; another process's compaction
    // makes it an overestimate, which the exact count taken before compacting corrects.
    private long _logRows;
    private long _compactionFloor = CompactionMinRows;
    private long _nextRefresh;

    // Whether the last look for other processes' writes failed: a failing file is logged once, not on every interval.
    private bool _refreshFailing;
    // 1 once disposal has begun: new writes are refused from then on.
    private int _disposed;

    /// <summary>A store over the SQLite file at <paramref name="path"/> (created with its folder when missing).</summary>
    public EmbeddedOnlineStore(string path)
        : this(path, DefaultRefreshInterval)
    {
    }

    /// <summary>
    /// A store over <paramref name="path"/> whose reads look for other processes' writes at most once per
    /// <paramref name="refreshInterval"/> (zero: on every read).
    /// </summary>
    /// <param name="path">The SQLite file, created with its folder when missing.</param>
    /// <param name="refreshInterval">How often, at most, a read looks for other processes' writes.</param>
    /// <param name="logger">Where the store reports opening (replay), compaction and trouble with its file; none by default.</param>
    /// <param name="writeQueueRows">Rows the write queue holds before callers wait (see <see cref="WriteAsync"/>).</param>
    public EmbeddedOnlineStore(string path, TimeSpan refreshInterval, ILogger? logger = null, int writeQueueRows = DefaultWriteQueueRows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(refreshInterval, TimeSpan.Zero);
        _queue = new WriteQueue(writeQueueRows);
        _path = Path.GetFullPath(path);
        _logger = logger ?? NullLogger.Instance;
        RefreshInterval = refreshInterval;
        _refreshTicks = (long)(refreshInterval.TotalSeconds * Stopwatch.Frequency);
    }

    /// <inheritdoc />
    public string Name => "embedded";

    /// <summary>The file this store persists to.</summary>
    public string FilePath => _path;

    /// <summary>How often, at most, a read looks for other processes' writes.</summary>
    public TimeSpan RefreshInterval { get; }

    /// <summary>Records held in memory, over all views.</summary>
    public long Count => _memory.Count;

    /// <summary>Rows the write queue holds before callers wait.</summary>
    public int WriteQueueRows => _queue.CapacityRows;

    /// <summary>Calls queued for the writer's next group, and calls waiting for room: for tests.</summary>
    internal (int Queued, int Waiting) QueuedCalls => _queue.Calls;

    /// <summary>
    /// Called by the writer inside a group's transaction, just before its commit, with the group's batches in the
    /// order they were taken: lets tests see the groups and fail a commit (an exception here fails the group).
    /// </summary>
    internal Action<IReadOnlyList<IReadOnlyList<OnlineWrite>>>? BeforeGroupCommit { get; set; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        Initialize();
        return Task.CompletedTask;
    }

    private void Initialize()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_log is not null)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                var log = new SqliteRecordLog(_path);
                try
                {
                    _dataVersion = log.DataVersion();
                    _generation = log.Generation();
                    (_lastSeq, _logRows) = log.LoadSince(0, _memory, _states);
                }
                catch
                {
                    log.Dispose();
                    throw;
                }

                _log = log;
                _nextRefresh = Stopwatch.GetTimestamp() + _refreshTicks;
                // A background thread: a process that exits without disposing the store is not held up by it, and
                // what it had not committed was never acknowledged.
                var writer = new Thread(RunWriter) { IsBackground = true, Name = "Granary embedded online store writer" };
                Volatile.Write(ref _writer, writer);
                writer.Start();
                var elapsed = Stopwatch.GetElapsedTime(started);
                OnlineLog.EmbeddedOpened(_logger, _path, _memory.Count, _logRows, elapsed);
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw Unavailable($"Cannot open the embedded online store '{_path}': {e.Message}", e);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Never blocks: the batch joins the write queue and the task completes once the background writer has committed
    /// (and fsynced) the group that holds it, with this batch's own count, or fails with that group's error. Until the
    /// writer takes the batch, <paramref name="cancellationToken"/> removes it (nothing of it is written); once taken,
    /// it is written and the task completes whatever the token says. While the queue is full
    /// (<see cref="WriteQueueRows"/>), the task waits for room. The store holds <paramref name="writes"/> until then:
    /// do not change it before the task completes.
    /// </remarks>
    public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckWrites(writes);
        EnsureOpen(cancellationToken);
        if (writes.Count == 0)
        {
            return Task.FromResult(0);
        }

        return Enqueue(new QueuedWrite(writes, _queue, cancellationToken));
    }

    /// <summary>Queues a batch of records or states for the writer; its task completes after the commit that holds it.</summary>
    private Task<int> Enqueue(QueuedWrite write)
    {
        var cancellationToken = write.CancellationToken;
        // Refused only once disposal has begun.
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(write), this);

        if (cancellationToken.CanBeCanceled)
        {
            // After queueing: a token cancelled in between runs the callback here, which removes the batch.
            write.Registration = cancellationToken.UnsafeRegister(static state =>
            {
                var queued = (QueuedWrite)state!;
                if (queued.Queue.TryRemove(queued))
                {
                    queued.TrySetCanceled(queued.CancellationToken);
                }
            }, write);
        }

        return write.Task;
    }

    /// <summary>
    /// The background writer, on a thread of its own (it blocks in SQLite's fsync, never a pool thread): takes every
    /// queued batch at once and writes them as one group until the queue is closed and drained.
    /// </summary>
    private void RunWriter()
    {
        var group = new List<QueuedWrite>();
        try
        {
            while (_queue.TakeAll(group))
            {
                WriteGroup(group);
                group.Clear();
            }
        }
        finally
        {
            _writerStopped.TrySetResult();
        }
    }

    private void WriteGroup(List<QueuedWrite> group)
    {
        Exception? failure;
        try
        {
            lock (_gate)
            {
                failure = CommitGroup(group);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Acknowledged only now, after the fsync and the publication: an awaiting caller sees its own write.
        foreach (var write in group)
        {
            write.Registration.Unregister();
            if (failure is null)
            {
                write.TrySetResult(write.Written);
            }
            else
            {
                write.TrySetException(failure);
            }
        }

        if (failure is not null)
        {
            return;
        }

        // After the acknowledgements: the group is durable whatever compaction does, and its callers need not wait.
        try
        {
            lock (_gate)
            {
                if (_log is { } log)
                {
                    MaybeCompact(log);
                }
            }
        }
        catch (Exception e)
        {
            OnlineLog.EmbeddedCompactionFailed(_logger, _path, CompactionMinRows, e);
        }
    }

    /// <summary>
    /// Writes a group in one transaction: last-write-wins per batch in batch order, then across batches in arrival
    /// order, against memory (caught up first) and the group's own earlier winners; commits; only then publishes the
    /// winners. Returns the group's error, having rolled back and left memory as it was (but for the catch-up, which
    /// holds only rows others committed), or null.
    /// </summary>
    private Exception? CommitGroup(List<QueuedWrite> group)
    {
        if (_log is not { } log)
        {
            return new ObjectDisposedException(GetType().FullName);
        }

        var lastSeq = _lastSeq;
        ClearGroup();
        try
        {
            log.BeginWrite();
            // Inside the write lock the snapshot is the latest commit: catching up here makes memory exact for the
            // last-write-wins check below, and nobody else can append until this transaction ends.
            CatchUp(log);
            lastSeq = _lastSeq;
            string? lastView = null;
            RecordTable<byte[]>? table = null;
            foreach (var request in group)
            {
                if (request.StateWrites is { } stateWrites)
                {
                    request.Written = AppendStates(log, request, stateWrites, ref lastSeq);
                    continue;
                }

                var writes = request.Writes;
                var won = 0;
                for (var i = 0; i < writes.Count; i++)
                {
                    var write = writes[i];
                    if (!ReferenceEquals(write.View, lastView))
                    {
                        // Batches usually write one view: find its table once per run of equal names.
                        lastView = write.View;
                        table = _memory.Find(write.View);
                    }

                    var key = (write.View, write.Entity);
                    var current = _pending.TryGetValue(key, out var pending) ? pending
                        : table is not null && table.TryGet(write.Entity, out var held, out _) ? held : null;
                    // Only winners are appended, in group order: the latest row of a key is always its winner, which
                    // replay and compaction rely on.
                    if (current is null || OnlineRecord.Replaces(write.Record, current))
                    {
                        lastSeq = log.Append(write.View, write.Entity, write.Record);
                        _pending[key] = write.Record;
                        _winners.Add((write, lastSeq));
                        won++;
                    }
                }

                request.Written = won;
            }

            BeforeGroupCommit?.Invoke(GroupBatches(group));
            log.Commit();
        }
        catch (Exception e)
        {
            ClearGroup();
            try
            {
                log.Rollback();
            }
            catch (SqliteException)
            {
                // SQLite rolls back on its own after most failures; the original error is the one to report.
            }

            return e is SqliteException sqlite
                ? Unavailable($"Writing to the embedded online store '{_path}' failed: {sqlite.Message}", sqlite)
                : e;
        }

        // Acknowledged: publish in group order, so of two wins for one key the later, which beat the earlier, stays.
        string? publishedView = null;
        RecordTable<byte[]>? published = null;
        foreach (var (write, seq) in _winners)
        {
            if (!ReferenceEquals(write.View, publishedView))
            {
                publishedView = write.View;
                published = _memory.Table(write.View);
            }

            published!.Set(write.Entity, write.Record, seq);
        }

        PublishStates();
        _lastSeq = lastSeq;
        _logRows += _winners.Count + _appliedStates.Count;
        // Not held between groups: the records and states belong to their callers.
        ClearGroup();
        return null;
    }

    private void ClearGroup()
    {
        _pending.Clear();
        _winners.Clear();
        _pendingVersions.Clear();
        _appliedStates.Clear();
    }

    private static IReadOnlyList<OnlineWrite>[] GroupBatches(List<QueuedWrite> group)
    {
        var batches = new IReadOnlyList<OnlineWrite>[group.Count];
        for (var i = 0; i < batches.Length; i++)
        {
            batches[i] = group[i].Writes;
        }

        return batches;
    }

    /// <inheritdoc />
    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckRead(keys, records);
        EnsureOpen(cancellationToken);

        RefreshWhenDue();
        _memory.Read(keys, records);
        return ValueTask.CompletedTask;
    }

    private void RefreshWhenDue()
    {
        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _nextRefresh))
        {
            TryRefresh();
        }
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckView(view);
        EnsureOpen(cancellationToken);
        lock (_gate)
        {
            var micros = Guard(() => Current().GetWatermark(view));
            return Task.FromResult(micros is { } value ? UtcMicros.ToDateTimeOffset(value) : (DateTimeOffset?)null);
        }
    }

    /// <inheritdoc />
    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckView(view);
        EnsureOpen(cancellationToken);
        lock (_gate)
        {
            Guard(() =>
            {
                Current().SetWatermark(view, UtcMicros.From(watermark));
                return 0;
            });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction empties the file; other processes over it (a running <c>granary serve</c>) see the new generation
    /// at their next refresh and drop what they hold.
    /// </remarks>
    public Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen(cancellationToken);
        lock (_gate)
        {
            var log = Current();
            try
            {
                log.BeginWrite();
                log.RemoveAll();
                log.Commit();
            }
            catch (SqliteException e)
            {
                log.Rollback();
                throw Unavailable($"Tearing down the embedded online store '{_path}' failed: {e.Message}", e);
            }

            _memory.Clear();
            _states.Clear();
            _generation = log.Generation();
            _dataVersion = log.DataVersion();
            _lastSeq = 0;
            _logRows = 0;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Refuses new writes (<see cref="ObjectDisposedException"/>), waits for the writer to write every batch already
    /// queued or waiting for room (their tasks complete as usual), then closes the file; memory is dropped with the
    /// instance.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // Not under the gate: the writer may hold it for a group, and the batches behind that group are to be drained.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Close();
        if (Volatile.Read(ref _writer) is not null)
        {
            await _writerStopped.Task.ConfigureAwait(false);
        }

        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
            _streamWatermarks?.Dispose();
            _streamWatermarks = null;
        }
    }

    private void TryRefresh()
    {
        // A writer holding the gate publishes its own rows and catches up before it writes; do not queue behind it.
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextRefresh, Stopwatch.GetTimestamp() + _refreshTicks);
            if (_log is { } log && log.DataVersion() != _dataVersion)
            {
                CatchUp(log);
            }

            _refreshFailing = false;
        }
        catch (SqliteException e)
        {
            // Reads keep serving what memory holds; the next interval tries again, and a write surfaces the error.
            if (!_refreshFailing)
            {
                _refreshFailing = true;
                OnlineLog.EmbeddedRefreshFailed(_logger, _path, e);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void CatchUp(SqliteRecordLog log)
    {
        // Version first: a commit landing after the query then still shows as a change next time.
        _dataVersion = log.DataVersion();
        if (log.Generation() is var generation && generation != _generation)
        {
            // Another process tore the store down: everything held is gone, and seqs start again from 1.
            OnlineLog.EmbeddedTornDownElsewhere(_logger, _path, _memory.Count);
            _memory.Clear();
            _states.Clear();
            _generation = generation;
            _lastSeq = 0;
            _logRows = 0;
        }

        (_lastSeq, var rows) = log.LoadSince(_lastSeq, _memory, _states);
        _logRows += rows;
        if (rows > 0)
        {
            OnlineLog.EmbeddedCaughtUp(_logger, _path, rows);
        }
    }

    /// <summary>
    /// After a write batch: when the log holds more than twice the live records (and more than
    /// <see cref="CompactionMinRows"/>), deletes the superseded rows in one transaction. Readers are not blocked (they
    /// read memory), nor are readers in other processes (WAL), whose memory already holds the winners the log keeps.
    /// </summary>
    private void MaybeCompact(SqliteRecordLog log)
    {
        if (_logRows <= _compactionFloor || _logRows <= 2 * (_memory.Count + _states.Count))
        {
            return;
        }

        try
        {
            log.BeginWrite();
            CatchUp(log);
            // Exact now: another process may have compacted (our count only grows) or appended.
            var rows = log.CountRows();
            var live = _memory.Count + _states.Count;
            var before = rows;
            if (rows > CompactionMinRows && rows > 2 * live)
            {
                // Memory, caught up, holds exactly the live rows' seqs (records' and states'); the log deletes the rest.
                long[] keep = [.. _memory.LiveSequences(), .. _states.LiveSequences()];
                Array.Sort(keep);
                rows = log.Compact(keep);
            }

            log.Commit();
            _logRows = rows;
            _compactionFloor = CompactionMinRows;
            if (rows != before)
            {
                OnlineLog.EmbeddedCompacted(_logger, _path, before, rows, live);
            }
        }
        catch (SqliteException e)
        {
            // The batch is already committed and acknowledged; a failed compaction loses nothing. Try again only after
            // the log has grown by another CompactionMinRows rows, so a persistent failure does not slow every batch.
            log.Rollback();
            _compactionFloor = _logRows + CompactionMinRows;
            OnlineLog.EmbeddedCompactionFailed(_logger, _path, CompactionMinRows, e);
        }
        catch
        {
            log.Rollback();
            throw;
        }
    }

    /// <summary>
    /// The contract's checks after the arguments: disposed, then cancelled; then the log, opened first if no call
    /// has opened it yet.
    /// </summary>
    private void EnsureOpen(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _log) is null)
        {
            Initialize();
        }
    }

    // Under the gate: the log as it is now, which a disposal that ran since the caller's check may have closed.
    private SqliteRecordLog Current()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _log ?? throw new ObjectDisposedException(GetType().FullName);
    }

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e)
        {
            throw Unavailable($"The embedded online store '{_path}' failed: {e.Message}", e);
        }
    }

    private static GranaryException Unavailable(string message, Exception inner) =>
        new(ErrorCodes.OnlineStoreUnavailable, message, inner);

    /// <summary>(view, entity) equality hashed by the entity's cached hash alone: no string hashing per row.</summary>
    private sealed class PendingKeyComparer : IEqualityComparer<(string View, EntityKey Entity)>
    {
        public static readonly PendingKeyComparer Instance = new();

        public bool Equals((string View, EntityKey Entity) x, (string View, EntityKey Entity) y) =>
            x.Entity.Equals(y.Entity) && string.Equals(x.View, y.View, StringComparison.Ordinal);

        public int GetHashCode((string View, EntityKey Entity) obj) => obj.Entity.GetHashCode();
    }
}
