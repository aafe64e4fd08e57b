using Granary.Offline.DuckDb;

namespace Granary.Tests.Infrastructure;

/// <summary>Writes real Parquet files into a test repository, from a DuckDB query that gives their columns and types.</summary>
public static class ParquetFiles
{
    public static async Task WriteAsync(TempRepository repo, string relativePath, string select)
    {
        var path = Path.Combine(repo.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO {DuckDbSql.Literal(path)} (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
    }
}
