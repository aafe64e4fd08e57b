using System.Collections.Concurrent;
using System.Globalization;
using DuckDB.NET.Data;
using Granary.Core.Model;

namespace Granary.Offline.DuckDb;

/// <summary>
/// The serving log as Parquet files under the repository:
/// <c>data/serving_log/&lt;project&gt;/&lt;view&gt;/date=YYYY-MM-DD/&lt;n&gt;.parquet</c>, one part per day a batch touches,
/// written by DuckDB's <c>COPY</c> under a temporary name and renamed into place, so a read never sees half a file.
/// Folders by day let retention delete whole days and let a read open only the days its interval covers.
/// </summary>
internal sealed class DuckDbServingLog : IDisposable
{
    private const string DayPrefix = "date=";
    private const string DayFormat = "yyyy-MM-dd";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _writers = new(StringComparer.Ordinal);

    public static string Folder(ServingLogTable table) =>
        Path.Combine(table.RepositoryRoot, "data", table.Log, table.Project, table.View);

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }
    }

    public async Task AppendAsync(ServingLogTable table, IReadOnlyList<ServingLogRecord> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var folder = Folder(table);
        var writer = _writers.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = new DuckDBConnection("DataSource=:memory:");
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "SET TimeZone = 'UTC'", cancellationToken);
            await ExecuteAsync(connection, $"CREATE TABLE served ({ColumnDefinitions(table)})", cancellationToken);
            using (var appender = connection.CreateAppender("served"))
            {
                foreach (var record in rows)
                {
                    Append(appender.CreateRow(), table, record).EndRow();
                }
            }

            foreach (var day in rows.Select(r => DateOnly.FromDateTime(r.ServedAt.UtcDateTime)).Distinct())
            {
                await WriteDayAsync(connection, folder, day, cancellationToken);
            }
        }
        finally
        {
            writer.Release();
        }
    }

    public static string ReadSql(ServingLogTable table, DateTimeOffset start, DateTimeOffset end)
    {
        var files = new List<string>();
        var folder = Folder(table);
        if (Directory.Exists(folder) && end > start)
        {
            var first = DateOnly.FromDateTime(start.UtcDateTime);
            var last = DateOnly.FromDateTime(end.UtcDateTime.AddTicks(-1));
            foreach (var dayFolder in Directory.EnumerateDirectories(folder, DayPrefix + "*"))
            {
                if (Day(dayFolder) is { } day && day >= first && day <= last)
                {
                    files.AddRange(Directory.EnumerateFiles(dayFolder, "*.parquet"));
                }
            }
        }

        var columns = string.Join(", ", table.Columns().Select(DuckDbSql.Quote));
        if (files.Count == 0)
        {
            // No log in range: the same columns, typed, and no rows.
            return $"SELECT {columns} FROM (SELECT {TypedNulls(table)}) WHERE false";
        }

        files.Sort(StringComparer.Ordinal);
        var list = string.Join(", ", files.Select(DuckDbSql.Literal));
        return $"SELECT {columns} FROM read_parquet([{list}], union_by_name = true) " +
            $"WHERE {DuckDbSql.Quote(ServingLogTable.ServedAtColumn)} >= {Timestamp(start)} AND {DuckDbSql.Quote(ServingLogTable.ServedAtColumn)} < {Timestamp(end)} " +
            $"ORDER BY {DuckDbSql.Quote(ServingLogTable.ServedAtColumn)}";
    }

    /// <summary>Deletes the day folders wholly before <paramref name="cutoff"/>; returns how many.</summary>
    public static long DeleteOlderThan(ServingLogTable table, DateTimeOffset cutoff)
    {
        var folder = Folder(table);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        // A day goes once its last instant is before the cut-off: rows of the cut-off's own day stay until it ends.
        var firstKept = DateOnly.FromDateTime(cutoff.UtcDateTime);
        long deleted = 0;
        foreach (var dayFolder in Directory.EnumerateDirectories(folder, DayPrefix + "*"))
        {
            if (Day(dayFolder) is { } day && day < firstKept)
            {
                Directory.Delete(dayFolder, recursive: true);
                deleted++;
            }
        }

        return deleted;
    }

    private static async Task WriteDayAsync(DuckDBConnection connection, string folder, DateOnly day, CancellationToken cancellationToken)
    {
        var dayFolder = Path.Combine(folder, DayPrefix + day.ToString(DayFormat, CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dayFolder);
        var temporary = Path.Combine(dayFolder, $".{Guid.NewGuid():N}.parquet.tmp");
        var from = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var servedAt = DuckDbSql.Quote(ServingLogTable.ServedAtColumn);
        await ExecuteAsync(
            connection,
            $"COPY (SELECT * FROM served WHERE {servedAt} >= {Timestamp(from)} AND {servedAt} < {Timestamp(from.AddDays(1))} ORDER BY {servedAt}) " +
            $"TO {DuckDbSql.Literal(temporary)} (FORMAT parquet)",
            cancellationToken);

        // Parts are numbered 1, 2, ... per day; another process may take a number first, so the rename that finds
        // its name taken tries the next one.
        var next = NextPart(dayFolder);
        while (true)
        {
            try
            {
                File.Move(temporary, Path.Combine(dayFolder, next.ToString(CultureInfo.InvariantCulture) + ".parquet"), overwrite: false);
                return;
            }
            catch (IOException) when (File.Exists(Path.Combine(dayFolder, next.ToString(CultureInfo.InvariantCulture) + ".parquet")))
            {
                next++;
            }
        }
    }

    private static long NextPart(string dayFolder)
    {
        long max = 0;
        foreach (var file in Directory.EnumerateFiles(dayFolder, "*.parquet"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > max)
            {
                max = n;
            }
        }

        return max + 1;
    }

    private static DateOnly? Day(string dayFolder) =>
        DateOnly.TryParseExact(Path.GetFileName(dayFolder)[DayPrefix.Length..], DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    private static string ColumnDefinitions(ServingLogTable table)
    {
        var columns = new List<string>();
        columns.AddRange(table.JoinKeys.Select(k => $"{DuckDbSql.Quote(k.Name)} {DuckDbType(k.Type)}"));
        columns.Add($"{DuckDbSql.Quote(ServingLogTable.ServedAtColumn)} TIMESTAMPTZ NOT NULL");
        columns.AddRange(table.Features.Select(f => $"{DuckDbSql.Quote(f.Name)} {DuckDbType(f.Type)}"));
        columns.AddRange(table.Features.Select(f => $"{DuckDbSql.Quote(f.Name + ServingLogTable.FoundSuffix)} BOOLEAN"));
        return string.Join(", ", columns);
    }

    private static string TypedNulls(ServingLogTable table)
    {
        var columns = new List<string>();
        columns.AddRange(table.JoinKeys.Select(k => $"CAST(NULL AS {DuckDbType(k.Type)}) AS {DuckDbSql.Quote(k.Name)}"));
        columns.Add($"CAST(NULL AS TIMESTAMPTZ) AS {DuckDbSql.Quote(ServingLogTable.ServedAtColumn)}");
        columns.AddRange(table.Features.Select(f => $"CAST(NULL AS {DuckDbType(f.Type)}) AS {DuckDbSql.Quote(f.Name)}"));
        columns.AddRange(table.Features.Select(f => $"CAST(NULL AS BOOLEAN) AS {DuckDbSql.Quote(f.Name + ServingLogTable.FoundSuffix)}"));
        return string.Join(", ", columns);
    }

    private static string DuckDbType(FeatureType type)
    {
        var scalar = type.Kind switch
        {
            ScalarKind.Int32 => "INTEGER",
            ScalarKind.Int64 => "BIGINT",
            ScalarKind.Float32 => "FLOAT",
            ScalarKind.Float64 => "DOUBLE",
            ScalarKind.Bool => "BOOLEAN",
            ScalarKind.Bytes => "BLOB",
            ScalarKind.UnixTimestamp => "TIMESTAMPTZ",
            _ => "VARCHAR",
        };
        return type.IsList ? scalar + "[]" : scalar;
    }

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, ServingLogTable table, ServingLogRecord record)
    {
        for (var k = 0; k < table.JoinKeys.Count; k++)
        {
            row = AppendValue(row, table.JoinKeys[k].Type, record.Keys[k]);
        }

        row = row.AppendValue(record.ServedAt.ToUniversalTime());
        for (var f = 0; f < table.Features.Count; f++)
        {
            row = AppendValue(row, table.Features[f].Type, record.Values[f]);
        }

        for (var f = 0; f < table.Features.Count; f++)
        {
            row = record.Found[f] is { } found ? row.AppendValue(found) : row.AppendNullValue();
        }

        return row;
    }

    private static IDuckDBAppenderRow AppendValue(IDuckDBAppenderRow row, FeatureType type, object? value)
    {
        if (value is null)
        {
            return row.AppendNullValue();
        }

        if (type.IsList)
        {
            return value switch
            {
                int[] a => row.AppendValue<int>(a),
                long[] a => row.AppendValue<long>(a),
                float[] a => row.AppendValue<float>(a),
                double[] a => row.AppendValue<double>(a),
                bool[] a => row.AppendValue<bool>(a),
                string[] a => row.AppendValue<string>(a),
                DateTimeOffset[] a => row.AppendValue<DateTimeOffset>(a),
                _ => row.AppendNullValue(),
            };
        }

        return type.Kind switch
        {
            ScalarKind.Int32 => row.AppendValue(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
            ScalarKind.Int64 => row.AppendValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            ScalarKind.Float32 => row.AppendValue(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
            ScalarKind.Float64 => row.AppendValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            ScalarKind.Bool => row.AppendValue(Convert.ToBoolean(value, CultureInfo.InvariantCulture)),
            ScalarKind.Bytes => row.AppendValue((byte[])value),
            ScalarKind.UnixTimestamp => row.AppendValue(value is DateTimeOffset d ? d.ToUniversalTime() : new DateTimeOffset(Convert.ToDateTime(value, CultureInfo.InvariantCulture), TimeSpan.Zero)),
            _ => row.AppendValue(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    private static string Timestamp(DateTimeOffset at) =>
        $"TIMESTAMPTZ '{at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'";

    private static string Timestamp(DateTime utc) => Timestamp(new DateTimeOffset(utc, TimeSpan.Zero));

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
