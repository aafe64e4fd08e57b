using Granary.Registry.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Registry;

/// <summary>The registry contract on SQLite files in a scratch folder, plus what is particular to SQLite.</summary>
public sealed class SqliteRegistryStoreTests : RegistryStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"granary-sqlite-{Guid.NewGuid():N}");
    private int _locations;

    [Fact]
    public async Task Registry_file_is_created_with_its_folders_and_runs_in_wal_mode()
    {
        var path = Path.Combine(_folder, "does", "not", "exist", "registry.db");
        await using (var store = new SqliteRegistryStore(path))
        {
            await store.InitializeAsync();
        }

        Assert.True(File.Exists(path));
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    protected override Task<Func<IRegistryStore>> CreateLocationAsync()
    {
        // A folder that does not exist yet: the store creates it.
        var path = Path.Combine(_folder, $"registry-{Interlocked.Increment(ref _locations)}", "nested", "registry.db");
        return Task.FromResult<Func<IRegistryStore>>(() => new SqliteRegistryStore(path));
    }

    protected override (IRegistryStore Store, string[] MessageMustName) CreateUnreachableStore()
    {
        // The parent "folder" is a regular file, so neither the folder nor the database can be created.
        Directory.CreateDirectory(_folder);
        var blocker = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(blocker, "");
        var path = Path.Combine(blocker, "registry.db");
        return (new SqliteRegistryStore(path), [path]);
    }

    protected override Task CleanupAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
