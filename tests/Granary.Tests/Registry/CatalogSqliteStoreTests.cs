using Granary.Registry.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Registry;

/// <summary>The catalog contract on SQLite files in a scratch folder.</summary>
public sealed class CatalogSqliteStoreTests : CatalogStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"granary-catalog-{Guid.NewGuid():N}");
    private int _locations;

    protected override (string Timestamp, string Json) ColumnTypes => ("text", "text");

    protected override Task<RegistryLocation> CreateLocationAsync()
    {
        var path = Path.Combine(_folder, $"registry-{Interlocked.Increment(ref _locations)}.db");
        return Task.FromResult(new RegistryLocation(() => new SqliteRegistryStore(path), sql => ScalarAsync(path, sql)));
    }

    protected override IRegistryStore CreateUnreachableStore()
    {
        // The parent "folder" is a regular file, so the database cannot be created.
        Directory.CreateDirectory(_folder);
        var blocker = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(blocker, "");
        return new SqliteRegistryStore(Path.Combine(blocker, "registry.db"));
    }

    protected override Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
