using System.Data.Common;
using Granary.Offline.Files;

namespace Granary.Offline.Postgres;

/// <summary>The columns of a PostgreSQL result as the file writer takes them: each type as the kind it is written as.</summary>
internal static class PostgresResultColumns
{
    public static IReadOnlyList<FileColumn> Of(DbDataReader reader)
    {
        var schema = reader.GetColumnSchema();
        var columns = new List<FileColumn>(schema.Count);
        foreach (var column in schema)
        {
            columns.Add(ColumnOf(column.ColumnName, column.DataTypeName ?? "", column.NumericPrecision, column.NumericScale));
        }

        return columns;
    }

    // Anything without a counterpart is written as its text.
    private static FileColumn ColumnOf(string name, string postgresType, int? precision, int? scale) => postgresType switch
    {
        "bigint" => new(name, FileValueKind.Int64),
        "integer" => new(name, FileValueKind.Int32),
        "smallint" => new(name, FileValueKind.Int16),
        "double precision" => new(name, FileValueKind.Float64),
        "real" => new(name, FileValueKind.Float32),
        "boolean" => new(name, FileValueKind.Boolean),
        "timestamp with time zone" => new(name, FileValueKind.Timestamp),
        "timestamp without time zone" => new(name, FileValueKind.NaiveTimestamp),
        "date" => new(name, FileValueKind.Date),
        "bytea" => new(name, FileValueKind.Bytes),
        "uuid" => new(name, FileValueKind.Uuid),

        // A decimal file column holds up to 28 digits; an unconstrained or wider numeric is written as a double.
        "numeric" when precision is > 0 and <= 28 => new(name, FileValueKind.Decimal, precision.Value, scale ?? 0),
        "numeric" => new(name, FileValueKind.Float64),
        _ => new(name, FileValueKind.Text),
    };
}
