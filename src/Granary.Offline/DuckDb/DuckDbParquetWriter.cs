using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Files;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Streams a data reader (another engine's result) to a Parquet file through DuckDB: rows go into a DuckDB table by
/// the appender, then DuckDB's <c>COPY ... (FORMAT parquet)</c> writes the file.
/// </summary>
/// <remarks>
/// Why this route: DuckDB already writes Parquet for the DuckDB engine (same encodings and types in both engines'
/// files) and no Parquet package is needed. The table lives in a database file in a private temp folder rather than
/// in memory, so a result larger than memory spills to disk (DuckDB pages it out) instead of growing the process;
/// the folder is deleted afterwards whatever happens.
/// </remarks>
internal static class DuckDbParquetWriter
{
    private const string Table = "rows";

    /// <summary>Writes every row of <paramref name="reader"/> to <paramref name="path"/>; returns the number of rows.</summary>
    public static async Task<long> WriteAsync(DbDataReader reader, IReadOnlyList<FileColumn> fileColumns, string path, CancellationToken cancellationToken)
    {
        var columns = fileColumns.Select(c => (c.Name, Type: DuckDbType(c))).ToList();
        var duplicate = columns.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"The result has two columns named '{duplicate.Key}' (an entity column and a feature?); a Parquet file cannot. Rename one.");
        }

        var folder = Directory.CreateTempSubdirectory("granary-parquet-");
        try
        {
            await using var connection = new DuckDBConnection($"DataSource={Path.Combine(folder.FullName, "rows.duckdb")}");
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "SET TimeZone = 'UTC'", cancellationToken);
            await ExecuteAsync(connection, $"CREATE TABLE {Table} ({string.Join(", ", columns.Select(c => $"{DuckDbSql.Quote(c.Name)} {c.Type}"))})", cancellationToken);
            long rows = 0;
            using (var appender = connection.CreateAppender(Table))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = appender.CreateRow();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        row = reader.IsDBNull(i) ? row.AppendNullValue() : Append(row, fileColumns[i].Kind, reader, i);
                    }

                    row.EndRow();
                    rows++;
                }
            }

            await ExecuteAsync(connection, $"COPY {Table} TO {DuckDbSql.Literal(path)} (FORMAT parquet)", cancellationToken);
            return rows;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string DuckDbType(FileColumn column) => column.Kind switch
    {
        FileValueKind.Int64 => "BIGINT",
        FileValueKind.Int32 => "INTEGER",
        FileValueKind.Int16 => "SMALLINT",
        FileValueKind.Float64 => "DOUBLE",
        FileValueKind.Float32 => "FLOAT",
        FileValueKind.Boolean => "BOOLEAN",
        FileValueKind.Timestamp => "TIMESTAMPTZ",
        FileValueKind.NaiveTimestamp => "TIMESTAMP",
        FileValueKind.Date => "DATE",
        FileValueKind.Bytes => "BLOB",
        FileValueKind.Uuid => "UUID",
        FileValueKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({column.Precision}, {column.Scale})"),
        _ => "VARCHAR",
    };

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, FileValueKind kind, DbDataReader reader, int i) => kind switch
    {
        FileValueKind.Int64 => row.AppendValue(reader.GetInt64(i)),
        FileValueKind.Int32 => row.AppendValue(reader.GetInt32(i)),
        FileValueKind.Int16 => row.AppendValue(reader.GetInt16(i)),
        FileValueKind.Float64 => row.AppendValue(System.Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture)),
        FileValueKind.Float32 => row.AppendValue(reader.GetFloat(i)),
        FileValueKind.Boolean => row.AppendValue(reader.GetBoolean(i)),
        FileValueKind.Timestamp => row.AppendValue(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc))),
        FileValueKind.NaiveTimestamp => row.AppendValue(reader.GetDateTime(i)),
        FileValueKind.Date => row.AppendValue(reader.GetFieldValue<DateOnly>(i)),
        FileValueKind.Bytes => row.AppendValue(reader.GetFieldValue<byte[]>(i)),
        FileValueKind.Uuid => row.AppendValue(reader.GetGuid(i)),
        FileValueKind.Decimal => row.AppendValue(reader.GetDecimal(i)),
        _ => row.AppendValue(CsvRowWriter.Format(reader.GetValue(i))),
    };

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
