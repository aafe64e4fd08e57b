using Granary.Registry.Diagnostics;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Registry;

/// <summary>The stored-profiles contract on SQLite files in a scratch folder.</summary>
public sealed class ProfileSqliteStoreTests : ProfileStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"granary-profiles-{Guid.NewGuid():N}");

    protected override Task<Func<IRegistryStore>> CreateLocationAsync()
    {
        var path = Path.Combine(_folder, "registry.db");
        return Task.FromResult<Func<IRegistryStore>>(() => new SqliteRegistryStore(path));
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
}

/// <summary>The stored-profiles contract on a fresh database of the shared PostgreSQL test server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProfilePostgresStoreTests(PostgresServer server) : ProfileStoreContract
{
    protected override async Task<Func<IRegistryStore>> CreateLocationAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        return () => new PostgresRegistryStore(connectionString);
    }
}

/// <summary>The stored-profiles contract through the tracing decorator (over SQLite): tracing changes nothing a store answers.</summary>
public sealed class ProfileTracedStoreTests : ProfileStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"granary-profiles-{Guid.NewGuid():N}");

    protected override Task<Func<IRegistryStore>> CreateLocationAsync()
    {
        var path = Path.Combine(_folder, "registry.db");
        return Task.FromResult<Func<IRegistryStore>>(() => new TracedRegistryStore(new SqliteRegistryStore(path), "sqlite"));
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
}
