using System.Data.Common;
using DuckDB.NET.Data;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Point-in-time-correct historical retrieval on DuckDB: for each entity row and view, the latest source row at or
/// before the row's time (within the view's TTL), ties on event time going to the latest created time. The join
/// runs inside DuckDB; rows reach .NET only through the returned reader, or not at all when written to a file.
/// </summary>
internal static class DuckDbHistoricalRetrieval
{
    /// <summary>The SQL statement <paramref name="request"/> runs as, for logs and <c>EXPLAIN</c>.</summary>
    public static string ToSql(PointInTimeRequest request) => DuckDbPointInTimeQuery.Build(request);

    /// <summary>Opens an in-memory DuckDB connection with the session settings retrieval relies on (UTC).</summary>
    public static Task<DuckDBConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        DuckDbConnections.OpenInMemoryAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="request"/> on <paramref name="connection"/> (whose session time zone it sets to UTC) and
    /// returns the rows: the entity table's columns, then one column per requested feature.
    /// </summary>
    public static async Task<DbDataReader> ExecuteReaderAsync(
        DuckDBConnection connection, PointInTimeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sql = DuckDbPointInTimeQuery.Build(request);
        await SetUtcAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteReaderAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="request"/> and writes the rows to <paramref name="outputPath"/> with DuckDB's
    /// <c>COPY</c>, so the result streams to disk without passing through .NET.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    public static async Task<long> WriteToFileAsync(
        DuckDBConnection connection,
        PointInTimeRequest request,
        string outputPath,
        FileFormat format,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var options = format switch
        {
            FileFormat.Parquet => "FORMAT parquet",
            FileFormat.Csv => "FORMAT csv, HEADER true",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown file format."),
        };
        var sql = DuckDbPointInTimeQuery.Build(request);
        await SetUtcAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({sql}) TO {DuckDbSql.Literal(Path.GetFullPath(outputPath))} ({options})";
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A caller's connection may carry another zone; naive timestamps must read as UTC for the join to be right.
    internal static async Task SetUtcAsync(DuckDBConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
