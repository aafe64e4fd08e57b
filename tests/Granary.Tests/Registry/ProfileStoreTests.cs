using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>The stored-profiles contract on SQLite files in a scratch folder.</summary>
public sealed class ProfileSqliteStoreTests : ProfileStoreContract
{
    private readonly ScratchSqliteRegistry _scratch = new("profiles");

    protected override Task<Func<IRegistryStore>> CreateLocationAsync() => _scratch.OpenerAsync();

    protected override Task CleanupAsync() => _scratch.CleanupAsync();
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
    private readonly ScratchSqliteRegistry _scratch = new("profiles");

    protected override Task<Func<IRegistryStore>> CreateLocationAsync() => _scratch.OpenerAsync(traced: true);

    protected override Task CleanupAsync() => _scratch.CleanupAsync();
}
