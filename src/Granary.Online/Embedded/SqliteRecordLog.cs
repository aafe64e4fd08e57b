using System.Text;
using Granary.Core.Values;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's durable side: an append-only log of winning records and applied aggregate states (rows with a
/// <c>version</c>; a record's is null) in one SQLite file, WAL mode with
/// <c>synchronous=FULL</c>, so a committed transaction is fsynced before it is acknowledged. Not thread-safe:
/// <see cref="EmbeddedOnlineStore"/> calls it under its writer lock and decides last-write-wins itself, against memory,
/// inside SQLite's write lock; the log only ever receives records that beat everything before them for their key.
/// <para>
/// <c>seq</c> is the rowid: SQLite assigns max(rowid) + 1 inside the write lock (also across processes), so seq order
/// is commit order, the latest row of a key is its winner, and "rows with seq greater than the last one seen" is
/// exactly what another process wrote since. Compaction deletes only superseded rows and so never removes the row with
/// the highest seq: sequence numbers are never reused.
/// </para>
/// </summary>
internal sealed class SqliteRecordLog : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS log(seq INTEGER PRIMARY KEY, view TEXT NOT NULL, entity BLOB NOT NULL, record BLOB NOT NULL, version INTEGER);
        CREATE TABLE IF NOT EXISTS watermarks(view TEXT PRIMARY KEY, micros INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        -- Where states were kept before they joined the log: read once on open (StateMigration), then left empty.
        CREATE TABLE IF NOT EXISTS stream_state(view TEXT NOT NULL, entity BLOB NOT NULL, version INTEGER NOT NULL, state BLOB NOT NULL, PRIMARY KEY(view, entity)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS stream_watermarks(source TEXT PRIMARY KEY, micros INTEGER NOT NULL);
        """;

    // A teardown empties the log, after which seqs start again from 1; the generation tells every reader that what it
    // holds, and its last seq, no longer mean anything (see Generation).
    private const string Teardown = """
        DELETE FROM log;
        DELETE FROM watermarks;
        DELETE FROM stream_state;
        DELETE FROM stream_watermarks;
        INSERT INTO meta(key, value) VALUES ('generation', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1;
        """;

    // A file written by the keyed layout (records + sequence tables) becomes a log of its rows, in sequence order.
    private const string Migration = """
        INSERT INTO log(view, entity, record) SELECT view, entity, record FROM records ORDER BY seq;
        DROP TABLE records;
        DROP TABLE IF EXISTS sequence;
        """;

    // A file whose states were rows of stream_state, updated in place: they become state rows of the log, versions kept.
    private const string StateMigration = """
        INSERT INTO log(view, entity, record, version) SELECT view, entity, state, version FROM stream_state ORDER BY view, entity;
        DELETE FROM stream_state;
        """;

    private const string SelectSince = "SELECT view, entity, record, seq, version FROM log WHERE seq > ?1 ORDER BY seq";

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _append;
    private readonly sqlite3_stmt _appendState;
    private readonly SqliteCommand _dataVersion;
    private readonly SqliteCommand _generation;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;

    // The UTF-8 of the view last bound to the append statement: batches write one view at a time, encode it once.
    private string? _appendView;
    private byte[] _appendViewUtf8 = [];

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
        _db = _connection.Handle!;
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
        Execute("BEGIN IMMEDIATE");
        try
        {
            Execute(Schema);
            if (Scalar("SELECT count(*) FROM pragma_table_info('log') WHERE name = 'version'") == 0)
            {
                // A log from before states joined it: every row in it is a record.
                Execute("ALTER TABLE log ADD COLUMN version INTEGER");
            }

            if (Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'records'") > 0)
            {
                Execute(Migration);
            }

            if (Scalar("SELECT EXISTS (SELECT 1 FROM stream_state)") > 0)
            {
                Execute(StateMigration);
            }

            Execute("COMMIT");
        }
        catch
        {
            Execute("ROLLBACK");
            throw;
        }

        _append = PrepareRaw("INSERT INTO log(view, entity, record) VALUES (?1, ?2, ?3)");
        _appendState = PrepareRaw("INSERT INTO log(view, entity, record, version) VALUES (?1, ?2, ?3, ?4)");
        _dataVersion = Prepare("PRAGMA data_version");
        _generation = Prepare("SELECT coalesce((SELECT value FROM meta WHERE key = 'generation'), 0)");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    /// <summary>
    /// Changes whenever another connection (this process or another) commits; this connection's own commits leave it
    /// as it is. A cheap "has anyone else written?" before a catch-up query.
    /// </summary>
    public long DataVersion() => (long)_dataVersion.ExecuteScalar()!;

    /// <summary>
    /// How many teardowns the file has seen: when it differs from what a reader last saw, the reader's memory is stale
    /// as a whole and its last seq may be reused, so it reloads from the start.
    /// </summary>
    public long Generation() => (long)_generation.ExecuteScalar()!;

    /// <summary>Deletes every record, watermark and aggregate state inside the open write transaction and moves to a new generation.</summary>
    public void RemoveAll() => Execute(Teardown);

    /// <summary>
    /// Replays, in seq order, every row appended after <paramref name="afterSeq"/> into memory, records into
    /// <paramref name="memory"/> and states into <paramref name="states"/> (all rows for zero: the cold start); returns the highest seq seen (<paramref name="afterSeq"/> when there was none) and the rows read.
    /// </summary>
    /// <remarks>
    /// Goes through SQLitePCL directly, reading columns as spans and reusing one string per view, because the ADO.NET
    /// reader's per-column allocations dominated the load time.
    /// </remarks>
    public (long LastSeq, long Rows) LoadSince(long afterSeq, RecordMemory memory, StateMemory states)
    {
        if (afterSeq == 0)
        {
            // Pre-size the cold start's tables; the log may hold superseded rows too, so this errs on the large side.
            memory.ExpectRecords((int)Math.Min(int.MaxValue, Scalar("SELECT count(*) FROM log")));
        }

        var statement = PrepareRaw(SelectSince);
        using (statement)
        {
            Check(raw.sqlite3_bind_int64(statement, 1, afterSeq));
            var last = afterSeq;
            long rows = 0;
            var view = "";
            byte[] viewUtf8 = [];
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var name = raw.sqlite3_column_blob(statement, 0);
                if (!name.SequenceEqual(viewUtf8))
                {
                    viewUtf8 = name.ToArray();
                    view = Encoding.UTF8.GetString(viewUtf8);
                }

                // Seq order: each row beat every earlier row of its key when it was appended, so it simply replaces
                // what memory holds; the last-write-wins check is only a guard against a log that says otherwise.
                last = raw.sqlite3_column_int64(statement, 3);
                var entity = EntityKey.FromBytes(raw.sqlite3_column_blob(statement, 1));
                var value = raw.sqlite3_column_blob(statement, 2).ToArray();
                if (raw.sqlite3_column_type(statement, 4) == raw.SQLITE_NULL)
                {
                    memory.Replay(view, entity, value, last);
                }
                else
                {
                    // A state row was appended only when it moved its key on from the state before: the latest wins.
                    states.Table(view).Set(entity, new StoredState(value, raw.sqlite3_column_int64(statement, 4)), last);
                }
                rows++;
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            return (last, rows);
        }
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
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            _rollback.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Appends one winning record inside the open write transaction; returns its seq. The prepared statement is reused
    /// and the columns are bound from the caller's arrays (SQLite copies them), so a row allocates nothing.
    /// </summary>
    public long Append(string view, EntityKey entity, byte[] record)
    {
        BindRow(_append, view, entity, record);
        return Step(_append);
    }

    private void BindRow(sqlite3_stmt statement, string view, EntityKey entity, byte[] value)
    {
        if (!ReferenceEquals(view, _appendView))
        {
            _appendViewUtf8 = Encoding.UTF8.GetBytes(view);
            _appendView = view;
        }

        Check(raw.sqlite3_bind_text(statement, 1, _appendViewUtf8));
        Check(raw.sqlite3_bind_blob(statement, 2, entity.Bytes));
        Check(raw.sqlite3_bind_blob(statement, 3, value));
    }

    private long Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>
    /// Appends one applied aggregate state at <paramref name="version"/> inside the open write transaction; returns its
    /// seq. Like <see cref="Append"/>, allocates nothing per row.
    /// </summary>
    public long AppendState(string view, EntityKey entity, byte[] state, long version)
    {
        BindRow(_appendState, view, entity, state);
        Check(raw.sqlite3_bind_int64(_appendState, 4, version));
        return Step(_appendState);
    }

    /// <summary>Rows in the log, live and superseded; a full count, so called rarely.</summary>
    public long CountRows() => Scalar("SELECT count(*) FROM log");

    /// <summary>
    /// Deletes, inside the open write transaction, every row but <paramref name="keep"/> (ascending): the live rows, as
    /// the caller's caught-up memory knows them; returns the rows left.
    /// </summary>
    /// <remarks>
    /// The keepers come from memory because asking SQLite for them (<c>SELECT max(seq) FROM log GROUP BY view,
    /// entity</c>) sorts the whole log by key: 8.7 s of a 10.4 s compaction of 2,000,000 rows, measured.
    /// </remarks>
    public long Compact(long[] keep)
    {
        Execute("CREATE TEMP TABLE IF NOT EXISTS keep(seq INTEGER PRIMARY KEY); DELETE FROM temp.keep;");
        var insert = PrepareRaw("INSERT INTO temp.keep(seq) VALUES (?1)");
        using (insert)
        {
            foreach (var seq in keep)
            {
                Check(raw.sqlite3_bind_int64(insert, 1, seq));
                var rc = raw.sqlite3_step(insert);
                raw.sqlite3_reset(insert);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(rc);
                }
            }
        }

        Execute("DELETE FROM log WHERE seq NOT IN temp.keep; DELETE FROM temp.keep;");
        return CountRows();
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
        // Statements first: a connection closed with one still open would linger until it is finalized.
        _append.Dispose();
        _appendState.Dispose();
        _dataVersion.Dispose();
        _generation.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _connection.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private sqlite3_stmt PrepareRaw(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return statement;
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
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
