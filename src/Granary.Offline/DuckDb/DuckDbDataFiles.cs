using System.Data.Common;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Data files read and written by DuckDB outside the DuckDB engine's queries: dataset facts for the facade and the CLI,
/// entity-table files and Parquet output for the PostgreSQL engine. Why DuckDB: see <see cref="DataFiles"/>. Each call
/// opens its own in-memory database, so calls may run concurrently.
/// </summary>
internal sealed class DuckDbDataFiles : IDataFiles, IEngineFiles
{
    public static readonly DuckDbDataFiles Instance = new();

    private DuckDbDataFiles()
    {
    }

    public async Task<(DateTimeOffset? Start, DateTimeOffset? End)> TimeRangeAsync(string path, FileFormat format, CancellationToken cancellationToken = default)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var column = DuckDbSql.Quote(EntityTable.TimestampColumn);
        command.CommandText = $"SELECT min(CAST({column} AS TIMESTAMPTZ)), max(CAST({column} AS TIMESTAMPTZ)) FROM {DuckDbSql.ReadFunction(format, Path.GetFullPath(path))}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (ReadTime(reader, 0), ReadTime(reader, 1));
    }

    public async Task<OfflineRows> PreviewAsync(string path, FileFormat format, int rows, long offset = 0, CancellationToken cancellationToken = default)
    {
        var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        try
        {
            var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {DuckDbSql.ReadFunction(format, Path.GetFullPath(path))} LIMIT {rows} OFFSET {offset}";
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<DriftSampleValues[]> ReadDriftSamplesAsync(
        string path, FileFormat format, IReadOnlyList<string> names, IReadOnlyList<string> columns, IReadOnlyList<ProfileKind> kinds, int sampleSize, int seed, CancellationToken cancellationToken = default)
    {
        var samples = new DuckDbDriftSamples("", DuckDbSql.ReadFunction(format, Path.GetFullPath(path)), "true");
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        try
        {
            return await samples.ReadAsync(connection, names, [.. columns.Select(DuckDbSql.Quote)], kinds, sampleSize, seed, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"{path} cannot be sampled for drift: {e.Message.Split('\n')[0]}", e);
        }
    }

    public IReadOnlyList<FileColumn> DescribeEntityFile(EntityTable entities)
    {
        // Synchronous on purpose: Explain needs the columns, and DESCRIBE reads only the file's metadata.
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {DuckDbSql.ReadFunction(entities.Format, entities.Text)}";
        var columns = new List<FileColumn>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(ColumnOf(reader.GetString(reader.GetOrdinal("column_name")), reader.GetString(reader.GetOrdinal("column_type"))));
            }
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Entity table {entities.Description} cannot be read: {e.Message.Split('\n')[0]}", e);
        }

        // A missing event_timestamp or a reserved column name is reported by EntityTableCheck before anything runs.
        return columns;
    }

    public async Task CheckEntityFileAsync(PointInTimeRequest request, ISourceSchemaInspector sources, CancellationToken cancellationToken)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        await DuckDbEntityTable.CheckAsync(connection, request, sources, cancellationToken);
    }

    public async Task<OfflineRows> ReadEntityFileAsync(EntityTable entities, IReadOnlyList<FileColumn> columns, CancellationToken cancellationToken)
    {
        var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        try
        {
            var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", columns.Select(Select))} FROM {DuckDbSql.ReadFunction(entities.Format, entities.Text)}";
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task<long> WriteParquetAsync(DbDataReader rows, IReadOnlyList<FileColumn> columns, string path, CancellationToken cancellationToken) =>
        DuckDbParquetWriter.WriteAsync(rows, columns, path, cancellationToken);

    // The kind a column DuckDB reports as duckDbType is handed over as; anything else travels as its text form (UUID,
    // lists, intervals...) rather than failing the retrieval.
    private static FileColumn ColumnOf(string name, string duckDbType)
    {
        var type = duckDbType.ToUpperInvariant();
        if (type.StartsWith("DECIMAL", StringComparison.Ordinal))
        {
            return new FileColumn(name, FileValueKind.Decimal);
        }

        return new FileColumn(name, type switch
        {
            "BIGINT" or "UINTEGER" => FileValueKind.Int64,
            "INTEGER" or "SMALLINT" or "TINYINT" or "USMALLINT" or "UTINYINT" => FileValueKind.Int32,
            "DOUBLE" => FileValueKind.Float64,
            "FLOAT" => FileValueKind.Float32,
            "BOOLEAN" => FileValueKind.Boolean,
            "VARCHAR" => FileValueKind.Text,
            "BLOB" => FileValueKind.Bytes,
            "TIMESTAMP" or "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" => FileValueKind.Timestamp,
            "DATE" => FileValueKind.Date,
            _ => FileValueKind.Text,
        });
    }

    // What DuckDB selects for a column: already cast to the one .NET shape its kind is handed over as.
    private static string Select(FileColumn column)
    {
        var quoted = DuckDbSql.Quote(column.Name);
        return column.Kind switch
        {
            FileValueKind.Int64 => $"CAST({quoted} AS BIGINT)",
            FileValueKind.Int32 => $"CAST({quoted} AS INTEGER)",

            // Naive timestamps are UTC. With the session zone at UTC, casting either kind to TIMESTAMP yields the UTC
            // wall clock (and truncates nanoseconds to Granary's microseconds).
            FileValueKind.Timestamp or FileValueKind.NaiveTimestamp => $"CAST({quoted} AS TIMESTAMP)",
            FileValueKind.Text => $"CAST({quoted} AS VARCHAR)",
            _ => quoted,
        };
    }

    private static DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal) switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            var other => throw new InvalidCastException($"Unexpected timestamp type {other.GetType().Name}."),
        };
}
