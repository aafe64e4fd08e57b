using System.Text;
using Granary.Values;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's durable side: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a committed
/// transaction is fsynced before it is acknowledged. Not thread-safe: <see cref="EmbeddedOnlineStore"/> calls it under
/// its writer lock. Every write transaction takes a new value of <c>sequence</c> and stamps it on the rows it changes;
/// because SQLite serializes writers (also across processes) and the value is taken inside the transaction, sequence
/// order is commit order, and "rows with seq greater than the last one seen" is exactly what another process wrote since.
/// </summary>
internal sealed class SqliteRecordLog : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS records(
            view TEXT NOT NULL, entity BLOB NOT NULL, event INTEGER NOT NULL, created INTEGER NOT NULL,
            seq INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY(view, entity)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS records_seq ON records(seq);
        CREATE TABLE IF NOT EXISTS sequence(id INTEGER PRIMARY KEY CHECK (id = 0), value INTEGER NOT NULL);
        INSERT OR IGNORE INTO sequence(id, value) VALUES (0, 0);
        CREATE TABLE IF NOT EXISTS watermarks(view TEXT PRIMARY KEY, micros INTEGER NOT NULL);
        """;

    // The WHERE keeps last-write-wins even against a writer in another process whose rows this one has not loaded yet.
    private const string UpsertSql = """
        INSERT INTO records(view, entity, event, created, seq, record) VALUES ($view, $entity, $event, $created, $seq, $record)
        ON CONFLICT(view, entity) DO UPDATE SET event = excluded.event, created = excluded.created, seq = excluded.seq, record = excluded.record
        WHERE excluded.event > records.event OR (excluded.event = records.event AND excluded.created > records.created)
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private readonly SqliteParameter _view;
    private readonly SqliteParameter _entity;
    private readonly SqliteParameter _event;
    private readonly SqliteParameter _created;
    private readonly SqliteParameter _seq;
    private readonly SqliteParameter _record;
    private readonly SqliteCommand _nextSequence;
    private readonly SqliteCommand _dataVersion;
    private readonly SqliteCommand _since;
    private readonly SqliteCommand _all;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteParameter _sinceSeq;

    public SqliteRecordLog(string path)
    {
        // No pooling: disposing must close the file, so a reopened store (or a deleted test folder) starts clean.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536;");
        Execute(Schema);

        _upsert = Prepare(UpsertSql);
        _view = _upsert.Parameters.Add("$view", SqliteType.Text);
        _entity = _upsert.Parameters.Add("$entity", SqliteType.Blob);
        _event = _upsert.Parameters.Add("$event", SqliteType.Integer);
        _created = _upsert.Parameters.Add("$created", SqliteType.Integer);
        _seq = _upsert.Parameters.Add("$seq", SqliteType.Integer);
        _record = _upsert.Parameters.Add("$record", SqliteType.Blob);
        _nextSequence = Prepare("UPDATE sequence SET value = value + 1 WHERE id = 0 RETURNING value");
        _dataVersion = Prepare("PRAGMA data_version");
        _since = Prepare("SELECT view, entity, record, seq FROM records WHERE seq > $seq");
        _sinceSeq = _since.Parameters.Add("$seq", SqliteType.Integer);
        // A full load scans the table in key order; through the seq index it would look up every row at random.
        _all = Prepare("SELECT view, entity, record, seq FROM records NOT INDEXED");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    /// <summary>
    /// Changes whenever another connection (this process or another) commits; this connection's own commits leave it
    /// as it is. A cheap "has anyone else written?" before a catch-up query.
    /// </summary>
    public long DataVersion() => (long)_dataVersion.ExecuteScalar()!;

    /// <summary>Publishes every row committed with a sequence above <paramref name="afterSeq"/>; returns the highest seen.</summary>
    public long LoadSince(long afterSeq, RecordMemory memory)
    {
        if (afterSeq == 0)
        {
            return LoadAll(memory);
        }

        _sinceSeq.Value = afterSeq;
        using var reader = _since.ExecuteReader();
        var last = afterSeq;
        while (reader.Read())
        {
            // The file holds one row per key, already decided last-write-wins, so the row is the truth.
            memory.Publish(reader.GetString(0), EntityKey.FromBytes(reader.GetFieldValue<byte[]>(1)), reader.GetFieldValue<byte[]>(2));
            last = Math.Max(last, reader.GetInt64(3));
        }

        return last;
    }

    /// <summary>BEGIN IMMEDIATE: takes SQLite's write lock now, so the transaction's snapshot is the latest commit.</summary>
    /// <remarks>
    /// Plain SQL rather than <see cref="SqliteConnection.BeginTransaction()"/>: the prepared commands stay reusable
    /// without enlisting each in a transaction object per batch.
    /// </remarks>
    public void BeginWrite() => _begin.ExecuteNonQuery();

    /// <summary>Commits; with <c>synchronous=FULL</c> the WAL is fsynced before this returns.</summary>
    public void Commit() => _commit.ExecuteNonQuery();

    /// <summary>Rolls back the open transaction, if SQLite has not already done so.</summary>
    public void Rollback()
    {
        if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
        {
            _rollback.ExecuteNonQuery();
        }
    }

    /// <summary>The sequence value of the current write transaction.</summary>
    public long NextSequence() => (long)_nextSequence.ExecuteScalar()!;

    /// <summary>Stores the record unless the file holds a later one; true when it replaced or created a row.</summary>
    public bool Upsert(string view, EntityKey entity, byte[] record, long seq)
    {
        _view.Value = view;
        _entity.Value = entity.ToArray();
        _event.Value = OnlineRecord.EventMicros(record);
        _created.Value = OnlineRecord.CreatedMicros(record);
        _seq.Value = seq;
        _record.Value = record;
        return _upsert.ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// The cold start: every row into memory. It goes through SQLitePCL directly, reading columns as spans and
    /// reusing one string per view, because the ADO.NET reader's per-column allocations dominated the load time.
    /// </summary>
    private long LoadAll(RecordMemory memory)
    {
        var db = _connection.Handle!;
        memory.ExpectRecords(Count());
        var rc = raw.sqlite3_prepare_v2(db, "SELECT view, entity, record, seq FROM records NOT INDEXED", out var statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            long last = 0;
            var view = "";
            byte[] viewUtf8 = [];
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var name = raw.sqlite3_column_blob(statement, 0);
                if (!name.SequenceEqual(viewUtf8))
                {
                    viewUtf8 = name.ToArray();
                    view = Encoding.UTF8.GetString(viewUtf8);
                }

                memory.Publish(view, EntityKey.FromBytes(raw.sqlite3_column_blob(statement, 1)), raw.sqlite3_column_blob(statement, 2).ToArray());
                last = Math.Max(last, raw.sqlite3_column_int64(statement, 3));
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            return last;
        }
    }

    /// <summary>Rows in the file; counted over the seq index, the smallest b-tree that has one entry per row.</summary>
    private int Count()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM records";
        return (int)Math.Min(int.MaxValue, (long)command.ExecuteScalar()!);
    }

    /// <summary>The stored watermark in microseconds, or null.</summary>
    public long? GetWatermark(string view)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT micros FROM watermarks WHERE view = $view";
        command.Parameters.AddWithValue("$view", view);
        return command.ExecuteScalar() is long micros ? micros : null;
    }

    public void SetWatermark(string view, long micros)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO watermarks(view, micros) VALUES ($view, $micros) ON CONFLICT(view) DO UPDATE SET micros = excluded.micros";
        command.Parameters.AddWithValue("$view", view);
        command.Parameters.AddWithValue("$micros", micros);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _nextSequence.Dispose();
        _dataVersion.Dispose();
        _since.Dispose();
        _all.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
