using Microsoft.Data.Sqlite;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's aggregate states and stream watermarks: two tables of its SQLite file (created with the log's
/// schema, emptied by its teardown) on a connection of their own, so a state write never waits behind the record
/// writer's group, nor the other way round, beyond SQLite's own write lock. A compare-and-set batch is one
/// <c>BEGIN IMMEDIATE</c> transaction, fsynced at commit: the version check and the write are atomic against every
/// connection to the file, in this process or another (a <c>granary stream run</c> beside a <c>granary serve</c>).
/// Reads go to the file too (its pages are in SQLite's cache), so a state another process wrote is seen at once.
/// Thread-safe: one lock serializes the connection's users.
/// </summary>
internal sealed class SqliteStateTable : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _read;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _getWatermark;
    private readonly SqliteCommand _advanceWatermark;

    public SqliteStateTable(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        _connection.Open();
        // The record log's page cache (64 MiB) rather than SQLite's default 2 MiB: with a million keys the state
        // table's interior pages no longer fit the default, and every lookup went back to the file for them.
        Execute("PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536;");
        _read = Prepare("SELECT state, version FROM stream_state WHERE view = $view AND entity = $entity", "$view", "$entity");
        _insert = Prepare("INSERT OR IGNORE INTO stream_state(view, entity, version, state) VALUES ($view, $entity, 1, $state)", "$view", "$entity", "$state");
        _update = Prepare(
            "UPDATE stream_state SET version = version + 1, state = $state WHERE view = $view AND entity = $entity AND version = $version",
            "$view", "$entity", "$state", "$version");
        _getWatermark = Prepare("SELECT micros FROM stream_watermarks WHERE source = $source", "$source");
        _advanceWatermark = Prepare(
            "INSERT INTO stream_watermarks(source, micros) VALUES ($source, $micros) ON CONFLICT(source) DO UPDATE SET micros = max(micros, excluded.micros)",
            "$source", "$micros");
    }

    public void Read(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states)
    {
        lock (_lock)
        {
            // One read transaction for the batch: one WAL snapshot taken and released, not one per key. A state read
            // in it may be outdated by the time it is written back; the write's version check is what decides.
            var batch = keys.Count > 1;
            if (batch)
            {
                Execute("BEGIN");
            }

            try
            {
                foreach (var i in InKeyOrder(keys.Count, i => keys[i]))
                {
                    _read.Parameters[0].Value = keys[i].View;
                    _read.Parameters[1].Value = keys[i].Entity.Bytes.ToArray();
                    using var reader = _read.ExecuteReader();
                    states[i] = reader.Read() ? new AggregateStateEntry((byte[])reader.GetValue(0), reader.GetInt64(1)) : default;
                }
            }
            finally
            {
                if (batch)
                {
                    Execute("COMMIT");
                }
            }
        }
    }

    public int CompareAndSet(IReadOnlyList<AggregateStateWrite> writes, bool[] applied)
    {
        lock (_lock)
        {
            Execute("BEGIN IMMEDIATE");
            try
            {
                var count = 0;
                foreach (var i in InKeyOrder(writes.Count, i => new OnlineKey(writes[i].View, writes[i].Entity)))
                {
                    var write = writes[i];
                    var command = write.ExpectedVersion == 0 ? _insert : _update;
                    command.Parameters[0].Value = write.View;
                    command.Parameters[1].Value = write.Entity.Bytes.ToArray();
                    command.Parameters[2].Value = write.State;
                    if (write.ExpectedVersion != 0)
                    {
                        command.Parameters[3].Value = write.ExpectedVersion;
                    }

                    applied[i] = command.ExecuteNonQuery() == 1;
                    count += applied[i] ? 1 : 0;
                }

                Execute("COMMIT");
                return count;
            }
            catch
            {
                Rollback();
                throw;
            }
        }
    }

    /// <summary>
    /// The indexes of a batch's keys in the table's key order (view, then entity bytes). A batch of random keys visits
    /// the B-tree's pages in one sweep instead of jumping between them, so neighbouring keys share page reads and
    /// each dirty page is found where the previous write left the cursor.
    /// </summary>
    private static int[] InKeyOrder(int count, Func<int, OnlineKey> key)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        if (count > 1)
        {
            var keys = new OnlineKey[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = key(i);
            }

            Array.Sort(keys, order, Comparer<OnlineKey>.Create(static (a, b) =>
            {
                var view = string.CompareOrdinal(a.View, b.View);
                return view != 0 ? view : a.Entity.Bytes.SequenceCompareTo(b.Entity.Bytes);
            }));
        }

        return order;
    }

    public long? GetWatermark(string source)
    {
        lock (_lock)
        {
            _getWatermark.Parameters[0].Value = source;
            return _getWatermark.ExecuteScalar() is long micros ? micros : null;
        }
    }

    public void AdvanceWatermark(string source, long micros)
    {
        lock (_lock)
        {
            _advanceWatermark.Parameters[0].Value = source;
            _advanceWatermark.Parameters[1].Value = micros;
            _advanceWatermark.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _read.Dispose();
            _insert.Dispose();
            _update.Dispose();
            _getWatermark.Dispose();
            _advanceWatermark.Dispose();
            _connection.Dispose();
        }
    }

    private void Rollback()
    {
        try
        {
            Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite rolls back on its own after most failures; the original error is the one to report.
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
