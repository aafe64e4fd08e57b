using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>A repository whose granary.yaml names a PostgreSQL registry, with the connection from the environment.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRepositoryTests(PostgresServer server)
{
    private static async Task<TempRepository> RepositoryOnAsync(PostgresServer server)
    {
        var variable = "GRANARY_TEST_REGISTRY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, await server.CreateDatabaseAsync());
        var repo = SampleRepository.Create();
        repo.Write("granary.yaml", $$"""
            project: shop
            registry:
              type: postgres
              connection: "${{{variable}}}"
            """);
        return repo;
    }

    [Fact]
    public async Task Apply_and_plan_work_the_same_on_a_postgres_registry()
    {
        using var repo = await RepositoryOnAsync(server);
        await using (var store = FeatureStore.Open(repo.Root))
        {
            Assert.Equal(1, (await store.ApplyAsync()).Version);
        }

        await using var reopened = FeatureStore.Open(repo.Root);
        Assert.Equal("postgres", reopened.Config.Registry.Type);
        var contents = await reopened.GetRegistryAsync();
        Assert.Equal(8, contents.Snapshot.Objects.Count);
        Assert.False((await reopened.PlanAsync()).HasChanges);
    }

    [Fact]
    public async Task Concurrent_applies_of_one_repository_leave_one_version_and_one_history_row()
    {
        using var repo = await RepositoryOnAsync(server);
        var stores = Enumerable.Range(0, 4).Select(_ => FeatureStore.Open(repo.Root)).ToList();
        try
        {
            var plans = await Task.WhenAll(stores.Select(s => s.PlanAsync()));
            var outcomes = await Task.WhenAll(stores.Select(async (s, i) =>
            {
                try
                {
                    return (await s.ApplyAsync(plans[i])).Version;
                }
                catch (GranaryException e) when (e.Code == ErrorCodes.RegistryConflict)
                {
                    return -1;
                }
            }));

            Assert.Equal(1, outcomes.Count(v => v == 1));
            Assert.Equal(3, outcomes.Count(v => v == -1));
            Assert.Single(await stores[0].GetHistoryAsync());
            Assert.Equal(8, (await stores[0].GetRegistryAsync()).Snapshot.Objects.Count);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
