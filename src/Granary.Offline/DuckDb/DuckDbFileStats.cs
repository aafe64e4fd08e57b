using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>Cheap facts about a written dataset file (row count, time range), read by DuckDB from the file itself.</summary>
public static class DuckDbFileStats
{
    /// <summary>The earliest and latest <c>event_timestamp</c> in the file, UTC; nulls when it has no rows.</summary>
    public static async Task<(DateTimeOffset? Start, DateTimeOffset? End)> TimeRangeAsync(string path, FileFormat format, CancellationToken cancellationToken = default)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var column = PointInTimeQuery.Quote(EntityTable.TimestampColumn);
        command.CommandText = $"SELECT min(CAST({column} AS TIMESTAMPTZ)), max(CAST({column} AS TIMESTAMPTZ)) FROM {DuckDbSql.ReadFunction(format, Path.GetFullPath(path))}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Read(reader, 0), Read(reader, 1));
    }

    /// <summary><paramref name="rows"/> rows of a Parquet or CSV file from row <paramref name="offset"/> on, for previews.</summary>
    public static async Task<OfflineRows> PreviewAsync(string path, FileFormat format, int rows, long offset = 0, CancellationToken cancellationToken = default)
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

    private static DateTimeOffset? Read(System.Data.Common.DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal) switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            var other => throw new InvalidCastException($"Unexpected timestamp type {other.GetType().Name}."),
        };
}
