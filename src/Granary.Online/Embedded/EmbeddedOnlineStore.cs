using System.Diagnostics;
using Granary.Errors;
using Granary.Time;
using Granary.Values;
using Microsoft.Data.Sqlite;

namespace Granary.Online.Embedded;

/// <summary>
/// The online store that needs no server: one SQLite file per feature repository (by default <c>data/online.db</c>)
/// for durability, and every record held in memory for reads. A write is one SQLite transaction, fsynced at commit
/// (WAL, <c>synchronous=FULL</c>), and becomes visible to readers only after that commit, so a reader never sees a
/// value a crash could take back. Reads are dictionary lookups that never touch the file, except a cheap check, at most
/// once per <see cref="RefreshInterval"/>, for rows another process (a <c>granary materialize</c> beside a
/// <c>granary serve</c>) committed to the same file. See docs/online-store.md for the measurements behind the design.
/// </summary>
public sealed class EmbeddedOnlineStore : IOnlineStore
{
    /// <summary>How often, at most, a read looks for other processes' writes when none is given.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _path;
    private readonly long _refreshTicks;
    private readonly RecordMemory _memory = new();

    // One writer at a time: it guards the SQLite connection, _lastSeq and _dataVersion. Readers only try it, and
    // only to refresh; a reader that finds it taken serves from memory, which the holder is about to bring up to date.
    private readonly Lock _gate = new();
    private SqliteRecordLog? _log;
    private long _lastSeq;
    private long _dataVersion;
    private long _nextRefresh;
    private bool _disposed;

    /// <summary>A store over the SQLite file at <paramref name="path"/> (created with its folder when missing).</summary>
    public EmbeddedOnlineStore(string path)
        : this(path, DefaultRefreshInterval)
    {
    }

    /// <summary>
    /// A store over <paramref name="path"/> whose reads look for other processes' writes at most once per
    /// <paramref name="refreshInterval"/> (zero: on every read).
    /// </summary>
    public EmbeddedOnlineStore(string path, TimeSpan refreshInterval)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(refreshInterval, TimeSpan.Zero);
        _path = Path.GetFullPath(path);
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

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_log is not null)
            {
                return Task.CompletedTask;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                var log = new SqliteRecordLog(_path);
                try
                {
                    _dataVersion = log.DataVersion();
                    _lastSeq = log.LoadSince(0, _memory);
                }
                catch
                {
                    log.Dispose();
                    throw;
                }

                _log = log;
                _nextRefresh = Stopwatch.GetTimestamp() + _refreshTicks;
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                throw Unavailable($"Cannot open the embedded online store '{_path}': {e.Message}", e);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < writes.Count; i++)
        {
            if (writes[i].Record is not { Length: >= OnlineRecord.HeaderSize })
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Write {i} for view '{writes[i].View}' is not an online record (shorter than its {OnlineRecord.HeaderSize}-byte header).");
            }
        }

        if (writes.Count == 0)
        {
            return Task.FromResult(0);
        }

        lock (_gate)
        {
            var log = Log();
            var won = new bool[writes.Count];
            long seq;
            try
            {
                log.BeginWrite();
                // Inside the write lock the snapshot is the latest commit: catching up here makes memory exact for the
                // last-write-wins check below and keeps sequence numbers contiguous in what this process has seen.
                CatchUp(log);
                seq = log.NextSequence();
                for (var i = 0; i < writes.Count; i++)
                {
                    var write = writes[i];
                    var current = _memory.Get(write.View, write.Entity);
                    // Memory holds committed rows only, so a record it already beats would lose in SQL too: skip the row.
                    if (current is null || OnlineRecord.Supersedes(write.Record, current))
                    {
                        won[i] = log.Upsert(write.View, write.Entity, write.Record, seq);
                    }
                }

                log.Commit();
            }
            catch (SqliteException e)
            {
                log.Rollback();
                throw Unavailable($"Writing to the embedded online store '{_path}' failed: {e.Message}", e);
            }
            catch
            {
                log.Rollback();
                throw;
            }

            // Acknowledged: publish in batch order, so of two wins for one key the later, which beat the earlier, stays.
            var count = 0;
            for (var i = 0; i < writes.Count; i++)
            {
                if (won[i])
                {
                    _memory.Publish(writes[i].View, writes[i].Entity, writes[i].Record);
                    count++;
                }
            }

            _lastSeq = seq;
            return Task.FromResult(count);
        }
    }

    /// <inheritdoc />
    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Length < keys.Count)
        {
            throw new ArgumentException($"{keys.Count} keys need as many record slots, not {records.Length}.", nameof(records));
        }

        if (Volatile.Read(ref _log) is null)
        {
            ThrowNotInitialized();
        }

        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _nextRefresh))
        {
            TryRefresh();
        }

        _memory.Read(keys, records);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(view);
        lock (_gate)
        {
            var micros = Guard(() => Log().GetWatermark(view));
            return Task.FromResult(micros is { } value ? UtcMicros.ToDateTimeOffset(value) : (DateTimeOffset?)null);
        }
    }

    /// <inheritdoc />
    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(view);
        lock (_gate)
        {
            Guard(() =>
            {
                Log().SetWatermark(view, UtcMicros.From(watermark));
                return 0;
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the file; memory is dropped with the instance.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _log?.Dispose();
            _log = null;
        }

        return ValueTask.CompletedTask;
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
        }
        catch (SqliteException)
        {
            // Reads keep serving what memory holds; the next interval tries again, and a write surfaces the error.
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
        _lastSeq = log.LoadSince(_lastSeq, _memory);
    }

    private SqliteRecordLog Log()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _log ?? ThrowNotInitialized();
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

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static SqliteRecordLog ThrowNotInitialized() =>
        throw new InvalidOperationException("Call InitializeAsync before using the embedded online store.");
}
