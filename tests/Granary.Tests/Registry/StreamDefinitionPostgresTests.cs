using Granary.Tests.Infrastructure;
using Granary.Tests.Streaming;

namespace Granary.Tests.Registry;

/// <summary>Stream feature views and stream sources round trip through a PostgreSQL registry as through SQLite.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StreamDefinitionPostgresTests(PostgresServer server)
{
    [Fact]
    public async Task Stream_views_and_sources_round_trip_through_a_postgres_registry()
    {
        var variable = "GRANARY_TEST_REGISTRY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, await server.CreateDatabaseAsync());
        using var repo = await StreamDefinitionRepository.CreateAsync();
        repo.Write("granary.yaml", $$"""
            project: fraud
            registry:
              type: postgres
              connection: "${{{variable}}}"
            """);

        await StreamDefinitionRegistryTests.AssertRoundTripsAsync(repo);
    }
}
