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
        Execute("PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;");
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
            for (var i = 0; i < keys.Count; i++)
            {
                _read.Parameters[0].Value = keys[i].View;
                _read.Parameters[1].Value = keys[i].Entity.Bytes.ToArray();
                using var reader = _read.ExecuteReader();
                states[i] = reader.Read() ? new AggregateStateEntry((byte[])reader.GetValue(0), reader.GetInt64(1)) : default;
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
                for (var i = 0; i < writes.Count; i++)
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
