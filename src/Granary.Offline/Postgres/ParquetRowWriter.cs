using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.DuckDb;

namespace Granary.Offline.Postgres;

/// <summary>
/// Streams a PostgreSQL data reader to a Parquet file through DuckDB: rows go into a DuckDB table by the appender,
/// then DuckDB's <c>COPY ... (FORMAT parquet)</c> writes the file.
/// </summary>
/// <remarks>
/// Why this route: DuckDB already writes Parquet for the other engine (same encodings and types in both engines'
/// files) and no Parquet package is needed. The table lives in a database file in a private temp folder rather than
/// in memory, so a result larger than memory spills to disk (DuckDB pages it out) instead of growing the process;
/// the folder is deleted afterwards whatever happens.
/// </remarks>
internal static class ParquetRowWriter
{
    private const string Table = "rows";

    /// <summary>Writes every row of <paramref name="reader"/> to <paramref name="path"/>; returns the number of rows.</summary>
    public static async Task<long> WriteAsync(DbDataReader reader, string path, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("granary-parquet-");
        try
        {
            var columns = reader.GetColumnSchema()
                .Select(c => (Name: c.ColumnName, Type: DuckDbType(c.DataTypeName ?? "", c.NumericPrecision, c.NumericScale)))
                .ToList();
            var duplicate = columns.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new GranaryException(
                    ErrorCodes.InvalidArgument,
                    $"The result has two columns named '{duplicate.Key}' (an entity column and a feature?); a Parquet file cannot. Rename one.");
            }

            await using var connection = new DuckDBConnection($"DataSource={Path.Combine(folder.FullName, "rows.duckdb")}");
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "SET TimeZone = 'UTC'", cancellationToken);
            await ExecuteAsync(connection, $"CREATE TABLE {Table} ({string.Join(", ", columns.Select(c => $"{PostgresSql.Quote(c.Name)} {c.Type}"))})", cancellationToken);
            long rows = 0;
            using (var appender = connection.CreateAppender(Table))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = appender.CreateRow();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        row = reader.IsDBNull(i) ? row.AppendNullValue() : Append(row, columns[i].Type, reader, i);
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

    // The DuckDB type each PostgreSQL type is written as; anything without a counterpart is written as its text.
    private static string DuckDbType(string postgresType, int? precision, int? scale) => postgresType switch
    {
        "bigint" => "BIGINT",
        "integer" => "INTEGER",
        "smallint" => "SMALLINT",
        "double precision" => "DOUBLE",
        "real" => "FLOAT",
        "boolean" => "BOOLEAN",
        "timestamp with time zone" => "TIMESTAMPTZ",
        "timestamp without time zone" => "TIMESTAMP",
        "date" => "DATE",
        "bytea" => "BLOB",
        "uuid" => "UUID",
        "numeric" when precision is > 0 and <= 28 => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({precision}, {scale ?? 0})"),
        "numeric" => "DOUBLE",
        _ => "VARCHAR",
    };

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, string type, DbDataReader reader, int i) => type switch
    {
        "BIGINT" => row.AppendValue(reader.GetInt64(i)),
        "INTEGER" => row.AppendValue(reader.GetInt32(i)),
        "SMALLINT" => row.AppendValue(reader.GetInt16(i)),
        "DOUBLE" => row.AppendValue(System.Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture)),
        "FLOAT" => row.AppendValue(reader.GetFloat(i)),
        "BOOLEAN" => row.AppendValue(reader.GetBoolean(i)),
        "TIMESTAMPTZ" => row.AppendValue(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc))),
        "TIMESTAMP" => row.AppendValue(reader.GetDateTime(i)),
        "DATE" => row.AppendValue(reader.GetFieldValue<DateOnly>(i)),
        "BLOB" => row.AppendValue(reader.GetFieldValue<byte[]>(i)),
        "UUID" => row.AppendValue(reader.GetGuid(i)),
        "VARCHAR" => row.AppendValue(CsvRowWriter.Format(reader.GetValue(i))),
        _ => row.AppendValue(reader.GetDecimal(i)),
    };

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
