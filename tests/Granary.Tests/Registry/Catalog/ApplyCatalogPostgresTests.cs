using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary>The apply-catalog suite on a PostgreSQL registry.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApplyCatalogPostgresTests(PostgresServer server) : ApplyCatalogContract
{
    private readonly Dictionary<string, string> _connections = [];

    protected override async Task<TempRepository> CreateRepositoryAsync()
    {
        var connection = await server.CreateDatabaseAsync();
        var variable = "GRANARY_TEST_REGISTRY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        var repo = SampleRepository.Create();
        repo.Write("granary.yaml", $$"""
            project: shop
            registry:
              type: postgres
              connection: "${{{variable}}}"
            """);
        _connections[repo.Root] = connection;
        return repo;
    }

    protected override IRegistryStore OpenRegistry(TempRepository repo) => new PostgresRegistryStore(_connections[repo.Root]);
}
