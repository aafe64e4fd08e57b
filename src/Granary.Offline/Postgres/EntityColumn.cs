using System.Globalization;
using Granary.Offline.Files;
using NpgsqlTypes;

namespace Granary.Offline.Postgres;

/// <summary>
/// One column of a file entity table on its way into PostgreSQL: the PostgreSQL column type, and how a value (in the
/// shape the file reader hands its kind over as) is written.
/// </summary>
internal sealed record EntityColumn(FileColumn File, string PostgresType, NpgsqlDbType DbType, Func<object, object> Convert)
{
    public string Name => File.Name;

    /// <summary>The mapping for a file column of <paramref name="column"/>'s kind.</summary>
    public static EntityColumn For(FileColumn column)
    {
        var name = column;
        return column.Kind switch
        {
            FileValueKind.Decimal => new(name, "numeric", NpgsqlDbType.Numeric, v => System.Convert.ToDecimal(v, CultureInfo.InvariantCulture)),
            FileValueKind.Int64 => new(name, "bigint", NpgsqlDbType.Bigint, v => System.Convert.ToInt64(v, CultureInfo.InvariantCulture)),
            FileValueKind.Int32 or FileValueKind.Int16 => new(name, "integer", NpgsqlDbType.Integer, v => System.Convert.ToInt32(v, CultureInfo.InvariantCulture)),
            FileValueKind.Float64 => new(name, "double precision", NpgsqlDbType.Double, v => System.Convert.ToDouble(v, CultureInfo.InvariantCulture)),
            FileValueKind.Float32 => new(name, "real", NpgsqlDbType.Real, v => System.Convert.ToSingle(v, CultureInfo.InvariantCulture)),
            FileValueKind.Boolean => new(name, "boolean", NpgsqlDbType.Boolean, v => v),
            FileValueKind.Bytes => new(name, "bytea", NpgsqlDbType.Bytea, Bytes),

            // The reader hands timestamps over as their UTC wall clock.
            FileValueKind.Timestamp or FileValueKind.NaiveTimestamp =>
                new(name, "timestamptz", NpgsqlDbType.TimestampTz, v => DateTime.SpecifyKind((DateTime)v, DateTimeKind.Utc)),
            FileValueKind.Date => new(name, "date", NpgsqlDbType.Date, v => Date(v)),
            _ => new(name, "text", NpgsqlDbType.Text, v => System.Convert.ToString(v, CultureInfo.InvariantCulture)!),
        };
    }

    private static object Bytes(object value)
    {
        if (value is byte[])
        {
            return value;
        }

        // A reader may hand blobs out as streams over its own memory (DuckDB.NET does).
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
