using Granary.Registry.Diagnostics;
using Granary.Registry.Storage;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Registry;

/// <summary>A SQLite registry file in a scratch folder of its own, removed (with SQLite's pooled connections to it) on cleanup.</summary>
internal sealed class ScratchSqliteRegistry(string purpose)
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"granary-{purpose}-{Guid.NewGuid():N}");

    /// <summary>Opens a store over the file; through the tracing decorator when <paramref name="traced"/>.</summary>
    public Task<Func<IRegistryStore>> OpenerAsync(bool traced = false)
    {
        var path = Path.Combine(_folder, "registry.db");
        return Task.FromResult<Func<IRegistryStore>>(traced
            ? () => new TracedRegistryStore(new SqliteRegistryStore(path), "sqlite")
            : () => new SqliteRegistryStore(path));
    }

    public Task CleanupAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
