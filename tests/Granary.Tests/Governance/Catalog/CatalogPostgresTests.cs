using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Governance.Catalog;

/// <summary>The catalog's operations on the sample repository with a PostgreSQL registry on a fresh database.</summary>
[Collection(PostgresCollection.Name)]
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId)]
public sealed class CatalogPostgresTests(PostgresServer server) : CatalogContract
{
    private string _connectionString = "";

    protected override async Task<TempRepository> CreateRepositoryAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        var variable = "GRANARY_TEST_CATALOG_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, _connectionString);
        return SampleRepository.Create().Write("granary.yaml", $$"""
            project: shop
            registry:
              type: postgres
              connection: "${{{variable}}}"
            """);
    }

    protected override IRegistryStore OpenRegistry() => new PostgresRegistryStore(_connectionString);
}
