using Microsoft.Data.Sqlite;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's stream source watermarks: one row per source in a table of its SQLite file (created with the
/// log's schema, emptied by its teardown), on a connection of its own, so advancing one never waits behind the writer's
/// group beyond SQLite's own write lock. A source has one row, advanced by one upsert (<c>max</c>), so concurrent
/// consumers, in this process or another, never move it back. Thread-safe: one lock serializes the connection's users.
/// </summary>
internal sealed class SqliteStreamWatermarks : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _advance;

    public SqliteStreamWatermarks(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        _connection.Open();
        using (var pragmas = _connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;";
            pragmas.ExecuteNonQuery();
        }

        _get = Prepare("SELECT micros FROM stream_watermarks WHERE source = $source", "$source");
        _advance = Prepare(
            "INSERT INTO stream_watermarks(source, micros) VALUES ($source, $micros) ON CONFLICT(source) DO UPDATE SET micros = max(micros, excluded.micros)",
            "$source", "$micros");
    }

    public long? Get(string source)
    {
        lock (_lock)
        {
            _get.Parameters[0].Value = source;
            return _get.ExecuteScalar() is long micros ? micros : null;
        }
    }

    public void Advance(string source, long micros)
    {
        lock (_lock)
        {
            _advance.Parameters[0].Value = source;
            _advance.Parameters[1].Value = micros;
            _advance.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _get.Dispose();
            _advance.Dispose();
            _connection.Dispose();
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
}
