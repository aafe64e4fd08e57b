using System.Globalization;
using Granary.Core.Model;

namespace Granary.Core.Sources;

/// <summary>
/// A source column's type as the engine reports it (DuckDB's <c>BIGINT</c>, <c>DOUBLE[]</c>, <c>DECIMAL(18,2)</c>;
/// PostgreSQL's <c>bigint</c>, <c>text[]</c>, <c>timestamp with time zone</c>), reduced to what decides whether a
/// Granary dtype can hold its values: the kind of value, and whether it is a list.
/// </summary>
/// <param name="Kind">The kind of each value (each element, for a list).</param>
/// <param name="IsList">Whether the column holds lists.</param>
/// <param name="EngineType">The engine's own spelling, for messages.</param>
/// <param name="DecimalPrecision">For <see cref="ColumnKind.Decimal"/>: the declared precision, or null when unconstrained.</param>
/// <param name="DecimalScale">For <see cref="ColumnKind.Decimal"/>: the declared scale, or null when unconstrained.</param>
internal sealed record ColumnType(ColumnKind Kind, bool IsList, string EngineType, int? DecimalPrecision = null, int? DecimalScale = null)
{
    /// <summary>Reads a DuckDB or PostgreSQL type name; a name neither engine uses reads as <see cref="ColumnKind.Unrecognized"/>.</summary>
    public static ColumnType Parse(string engineType)
    {
        ArgumentNullException.ThrowIfNull(engineType);
        var text = engineType.Trim();
        var lower = text.ToLowerInvariant();

        // DuckDB writes lists as T[] and fixed-size arrays as T[N]; PostgreSQL writes arrays as T[], and its catalog
        // names them _T (_int4).
        var isList = false;
        if (lower.EndsWith(']') && lower.LastIndexOf('[') is var open and > 0)
        {
            isList = true;
            lower = lower[..open].TrimEnd();
        }
        else if (lower.StartsWith('_') && lower.Length > 1)
        {
            isList = true;
            lower = lower[1..];
        }

        var (precision, scale) = DecimalArguments(lower);
        var baseName = lower.IndexOf('(') is var paren and > 0 ? lower[..paren].TrimEnd() : lower;
        return new ColumnType(KindOf(baseName), isList, text, precision, scale);
    }

    private static ColumnKind KindOf(string name) => name switch
    {
        "boolean" or "bool" => ColumnKind.Bool,
        "tinyint" or "int1" or "smallint" or "int2" or "utinyint" or "usmallint" => ColumnKind.Int16,
        "integer" or "int" or "int4" or "signed" => ColumnKind.Int32,
        "uinteger" => ColumnKind.UInt32,
        "bigint" or "int8" or "long" => ColumnKind.Int64,
        "ubigint" or "hugeint" or "uhugeint" or "int128" => ColumnKind.WiderThanInt64,
        "float" or "float4" or "real" => ColumnKind.Float32,
        "double" or "float8" or "double precision" => ColumnKind.Float64,
        "decimal" or "numeric" => ColumnKind.Decimal,
        "varchar" or "text" or "string" or "char" or "bpchar" or "character" or "character varying" or "name"
            or "uuid" or "json" or "jsonb" or "citext" => ColumnKind.String,
        "blob" or "bytea" or "varbinary" or "binary" => ColumnKind.Bytes,
        "timestamp" or "timestamp with time zone" or "timestamp without time zone" or "timestamptz" or "datetime"
            or "timestamp_s" or "timestamp_ms" or "timestamp_ns" or "timestamp_us" => ColumnKind.Timestamp,
        "date" => ColumnKind.Date,
        "null" or "unknown" => ColumnKind.Null,
        "time" or "time with time zone" or "time without time zone" or "timetz" or "interval" or "struct" or "map"
            or "union" or "bit" or "enum" => ColumnKind.Unsupported,
        _ => name.StartsWith("struct", StringComparison.Ordinal) || name.StartsWith("map", StringComparison.Ordinal)
            ? ColumnKind.Unsupported
            : ColumnKind.Unrecognized,
    };

    private static (int? Precision, int? Scale) DecimalArguments(string lower)
    {
        if (!(lower.StartsWith("decimal(", StringComparison.Ordinal) || lower.StartsWith("numeric(", StringComparison.Ordinal)) || !lower.EndsWith(')'))
        {
            return (null, null);
        }

        var inner = lower[(lower.IndexOf('(') + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        var precision = int.TryParse(inner[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        var scale = inner.Length > 1 && int.TryParse(inner[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        return precision is null ? (null, null) : (precision, scale);
    }

    /// <inheritdoc />
    public override string ToString() => EngineType;
}

/// <summary>What a source column holds, as far as choosing a dtype goes.</summary>
internal enum ColumnKind
{
    /// <summary>A type name neither engine uses; nothing is concluded from it.</summary>
    Unrecognized,

    /// <summary>Only nulls (an untyped <c>NULL</c>): any dtype holds it.</summary>
    Null,
    Bool,

    /// <summary>8- and 16-bit integers, signed or not.</summary>
    Int16,
    Int32,

    /// <summary>Unsigned 32-bit integers: beyond int32, within int64.</summary>
    UInt32,
    Int64,

    /// <summary>Unsigned 64-bit and 128-bit integers: beyond int64.</summary>
    WiderThanInt64,
    Float32,
    Float64,
    Decimal,
    String,
    Bytes,
    Date,
    Timestamp,

    /// <summary>A type no dtype holds (time of day, interval, struct, map).</summary>
    Unsupported,
}
