using Granary.Core.Model;
using Granary.Offline.DuckDb;

namespace Granary.Tests.Infrastructure;

/// <summary>Writes real Parquet files into a test repository, from a DuckDB query that gives their columns and types.</summary>
public static class ParquetFiles
{
    public static Task WriteAsync(TempRepository repo, string relativePath, string select) => WriteAsync(repo.Root, relativePath, select);

    /// <summary>
    /// The rows of <paramref name="select"/> as a Parquet file of its own under <paramref name="root"/>, and a file source
    /// <c>{prefix}_source</c> reading it with event time <c>ts</c>: what the engine contracts profile, sample and validate.
    /// </summary>
    public static async Task<BatchSource> FileSourceAsync(string root, string prefix, string select)
    {
        var file = $"{prefix}_{Guid.NewGuid():N}.parquet";
        await WriteAsync(root, file, select);
        return new FileSource { Name = $"{prefix}_source", Path = file, Format = FileFormat.Parquet, TimestampField = "ts" };
    }

    public static async Task WriteAsync(string root, string relativePath, string select)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO {DuckDbSql.Literal(path)} (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
    }
}
