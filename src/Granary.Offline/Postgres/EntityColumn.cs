using System.Globalization;
using NpgsqlTypes;

namespace Granary.Offline.Postgres;

/// <summary>
/// One column of a file entity table on its way from DuckDB into PostgreSQL: what DuckDB selects (already cast to
/// the one .NET shape the copy expects), the PostgreSQL column type, and how a value is written.
/// </summary>
internal sealed record EntityColumn(string Name, string DuckDbSelect, string PostgresType, NpgsqlDbType DbType, Func<object, object> Convert)
{
    /// <summary>The mapping for a column DuckDB reports as <paramref name="duckDbType"/>.</summary>
    public static EntityColumn For(string name, string duckDbType)
    {
        var column = PostgresSql.Quote(name);
        var type = duckDbType.ToUpperInvariant();
        if (type.StartsWith("DECIMAL", StringComparison.Ordinal))
        {
            return new(name, column, "numeric", NpgsqlDbType.Numeric, v => System.Convert.ToDecimal(v, CultureInfo.InvariantCulture));
        }

        return type switch
        {
            "BIGINT" or "UINTEGER" => new(name, $"CAST({column} AS BIGINT)", "bigint", NpgsqlDbType.Bigint, v => System.Convert.ToInt64(v, CultureInfo.InvariantCulture)),
            "INTEGER" or "SMALLINT" or "TINYINT" or "USMALLINT" or "UTINYINT" =>
                new(name, $"CAST({column} AS INTEGER)", "integer", NpgsqlDbType.Integer, v => System.Convert.ToInt32(v, CultureInfo.InvariantCulture)),
            "DOUBLE" => new(name, column, "double precision", NpgsqlDbType.Double, v => System.Convert.ToDouble(v, CultureInfo.InvariantCulture)),
            "FLOAT" => new(name, column, "real", NpgsqlDbType.Real, v => System.Convert.ToSingle(v, CultureInfo.InvariantCulture)),
            "BOOLEAN" => new(name, column, "boolean", NpgsqlDbType.Boolean, v => v),
            "VARCHAR" => new(name, column, "text", NpgsqlDbType.Text, v => v),
            "BLOB" => new(name, column, "bytea", NpgsqlDbType.Bytea, Bytes),

            // Naive timestamps are UTC. With DuckDB's session zone at UTC, casting either kind to TIMESTAMP yields the
            // UTC wall clock (and truncates nanoseconds to Granary's microseconds).
            "TIMESTAMP" or "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP_S" or "TIMESTAMP_MS" or "TIMESTAMP_NS" =>
                new(name, $"CAST({column} AS TIMESTAMP)", "timestamptz", NpgsqlDbType.TimestampTz, v => DateTime.SpecifyKind((DateTime)v, DateTimeKind.Utc)),
            "DATE" => new(name, column, "date", NpgsqlDbType.Date, v => Date(v)),

            // Anything else (UUID, lists, intervals...) travels as its text form rather than failing the retrieval.
            _ => new(name, $"CAST({column} AS VARCHAR)", "text", NpgsqlDbType.Text, v => System.Convert.ToString(v, CultureInfo.InvariantCulture)!),
        };
    }

    private static object Bytes(object value)
    {
        if (value is byte[])
        {
            return value;
        }

        // DuckDB.NET hands out blobs as streams over its own memory.
        using var stream = (Stream)value;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static DateOnly Date(object value) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        _ => DateOnly.Parse(System.Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };
}
