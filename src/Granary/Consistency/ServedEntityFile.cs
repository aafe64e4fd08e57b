using System.Data;
using System.Globalization;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;

namespace Granary.Consistency;

/// <summary>
/// The entity rows of a consistency re-join, written as a Parquet file: each logged row's join keys with its served
/// instant as <c>event_timestamp</c>.
/// </summary>
/// <remarks>
/// Parquet rather than CSV because its columns carry their types: each key column is written in the entity's declared
/// type, so a text key such as <c>"007"</c> stays text instead of being read back as the number 7, whichever engine
/// joins it.
/// </remarks>
internal static class ServedEntityFile
{
    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/>; returns the rows written.</summary>
    public static async Task<long> WriteAsync(string path, ServingLogTable table, IReadOnlyList<LoggedServedRow> rows, CancellationToken cancellationToken)
    {
        var columns = new List<FileColumn>(table.JoinKeys.Count + 1);
        using var entities = new DataTable { Locale = CultureInfo.InvariantCulture };
        foreach (var key in table.JoinKeys)
        {
            var kind = KindOf(key.Type);
            columns.Add(new FileColumn(key.Name, kind));
            entities.Columns.Add(key.Name, ClrTypeOf(kind));
        }

        columns.Add(new FileColumn(EntityTable.TimestampColumn, FileValueKind.Timestamp));
        entities.Columns.Add(EntityTable.TimestampColumn, typeof(DateTime));
        var values = new object[columns.Count];
        foreach (var row in rows)
        {
            for (var k = 0; k < table.JoinKeys.Count; k++)
            {
                values[k] = row.Entity[table.JoinKeys[k].Name] is { } value ? Convert(value, columns[k].Kind) : DBNull.Value;
            }

            values[^1] = row.ServedAt.UtcDateTime;
            entities.Rows.Add(values);
        }

        using var reader = entities.CreateDataReader();
        return await DataFiles.ForEngines.WriteParquetAsync(reader, columns, path, cancellationToken);
    }

    // A list key has no typed column here; it travels as its text, as a file source would hold it.
    private static FileValueKind KindOf(FeatureType type) => type.IsList ? FileValueKind.Text : type.Kind switch
    {
        ScalarKind.Int32 => FileValueKind.Int32,
        ScalarKind.Int64 => FileValueKind.Int64,
        ScalarKind.Float32 => FileValueKind.Float32,
        ScalarKind.Float64 => FileValueKind.Float64,
        ScalarKind.Bool => FileValueKind.Boolean,
        ScalarKind.Bytes => FileValueKind.Bytes,
        ScalarKind.UnixTimestamp => FileValueKind.Timestamp,
        _ => FileValueKind.Text,
    };

    private static Type ClrTypeOf(FileValueKind kind) => kind switch
    {
        FileValueKind.Int32 => typeof(int),
        FileValueKind.Int64 => typeof(long),
        FileValueKind.Float32 => typeof(float),
        FileValueKind.Float64 => typeof(double),
        FileValueKind.Boolean => typeof(bool),
        FileValueKind.Bytes => typeof(byte[]),
        FileValueKind.Timestamp => typeof(DateTime),
        _ => typeof(string),
    };

    // The log reads a key back in its engine's shape (an int64 key may come as an Int32 where the engine narrowed it).
    private static object Convert(object value, FileValueKind kind) => kind switch
    {
        FileValueKind.Int32 => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        FileValueKind.Int64 => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        FileValueKind.Float32 => System.Convert.ToSingle(value, CultureInfo.InvariantCulture),
        FileValueKind.Float64 => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        FileValueKind.Boolean => System.Convert.ToBoolean(value, CultureInfo.InvariantCulture),
        FileValueKind.Timestamp => value switch
        {
            DateTimeOffset offset => offset.UtcDateTime,
            DateTime time => time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc),
            _ => value,
        },
        FileValueKind.Bytes => value,
        _ => CsvRowWriter.Format(value),
    };
}
