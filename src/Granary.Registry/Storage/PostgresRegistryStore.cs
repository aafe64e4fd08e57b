using System.Data;
using System.Data.Common;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Registry.Storage;

/// <summary>A registry in a PostgreSQL database, shared by a team and its CI.</summary>
/// <remarks>
/// Applies run at READ COMMITTED on purpose: the guarded <c>UPDATE ... WHERE version = @expected</c> locks the
/// project's row, a concurrent apply waits on that lock, and when the winner commits PostgreSQL re-checks the
/// loser's condition against the new row, finds the version moved and updates nothing, which the store reports
/// as a conflict. Stricter levels would turn the same race into serialization failures to retry.
/// </remarks>
internal sealed class PostgresRegistryStore : RegistryStoreBase
{
    // Any fixed number works as long as it is Granary's own: it serializes concurrent InitializeAsync calls,
    // because CREATE TABLE IF NOT EXISTS alone races on PostgreSQL's catalog and can fail with a unique violation.
    private const long SchemaLockKey = 0x4752414E4152; // "GRANAR"

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _location;

    /// <summary>Creates a store over the database <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="logger">Where the store reports creating its tables; none by default.</param>
    public PostgresRegistryStore(string connectionString, ILogger? logger = null)
        : base(logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message never repeats the string: it may hold a password.
            throw new GranaryException(ErrorCodes.InvalidConfig, $"The PostgreSQL registry's connection string is invalid: {e.Message}", e);
        }

        // What errors name as the registry: never the password.
        _location = $"host {builder.Host ?? "localhost"}, port {builder.Port}, database {builder.Database ?? builder.Username ?? "(default)"}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    private protected override string TimestampType => "timestamptz";

    private protected override string JsonType => "jsonb";

    private protected override string Location => $"PostgreSQL registry ({_location})";

    // The database's collation may be a locale's; "C" compares code points, as Granary's ordinal order does.
    private protected override string OrdinalCollation => " COLLATE \"C\"";

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GranaryException(
                ErrorCodes.RegistryUnavailable,
                $"Cannot connect to the PostgreSQL registry ({_location}): {e.Message} Check that the server is running and the connection string is right.",
                e);
        }
    }

    private protected override async Task<DbTransaction> BeginSchemaTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        try
        {
            // Released by the commit or rollback that ends the transaction.
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
            command.Parameters.AddWithValue("key", SchemaLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private protected override async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    private protected override async Task<DbTransaction> BeginSnapshotTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    private protected override object ToDbTimestamp(DateTimeOffset utc) => utc;

    private protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    private protected override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private protected override void SetJsonType(DbParameter parameter) =>
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Jsonb;
}
