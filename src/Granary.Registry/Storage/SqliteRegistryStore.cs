using System.Data.Common;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;

namespace Granary.Registry.Storage;

/// <summary>
/// A registry in one SQLite file, for a single machine or a repository checked out by several processes.
/// </summary>
/// <remarks>
/// The file runs in WAL mode so readers never block the one writer. Every apply begins with
/// <c>BEGIN IMMEDIATE</c>, taking the write lock before it reads the version: two processes applying at once
/// queue on the lock (for up to the busy timeout) instead of both reading version N, and the second then sees
/// N + 1 and is rejected as a conflict.
/// </remarks>
internal sealed class SqliteRegistryStore : RegistryStoreBase
{
    // Timestamps are ISO-8601 text with exactly six fractional digits and a Z: readable in the sqlite3 shell,
    // exact to the microsecond (no floating point), and ordered correctly by a plain text comparison.
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private const int BusyTimeoutSeconds = 30;

    // SQLite's primary result code for a violated constraint (SQLITE_CONSTRAINT).
    private const int SqliteConstraint = 19;

    private readonly string _path;
    private readonly string _connectionString;

    /// <summary>Creates a store over the SQLite file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file; it and its folder are created on first use if missing.</param>
    /// <param name="logger">Where the store reports creating its tables; none by default.</param>
    public SqliteRegistryStore(string path, ILogger? logger = null)
        : base(logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public override string FilePath => _path;

    private protected override string TimestampType => "text";

    private protected override string Location => $"SQLite registry '{_path}'";

    private protected override string JsonType => "text";

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open after use; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            var folder = Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await connection.OpenAsync(cancellationToken);

            // SQLite's own busy handler waits for a lock held by another process, so BEGIN IMMEDIATE queues
            // instead of failing at once with SQLITE_BUSY.
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            await connection.DisposeAsync();
            throw new GranaryException(
                ErrorCodes.RegistryUnavailable,
                $"Cannot open the SQLite registry '{_path}': {e.Message} Check that the path is a file (or can be created) in a writable folder.",
                e);
        }
    }

    private protected override async Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // The journal mode is a property of the file, kept once set; it cannot change inside a transaction.
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await BeginWriteTransactionAsync(connection, cancellationToken);
    }

    private protected override Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // A deferred transaction takes its WAL snapshot at the first read and keeps it until it ends.
    private protected override Task<DbTransaction> BeginSnapshotTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    private protected override object ToDbTimestamp(DateTimeOffset utc) =>
        utc.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(
            reader.GetString(ordinal),
            TimestampFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private protected override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint };
}
