using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Offline.Postgres;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>
/// The PostgreSQL point-in-time join against the same naive scan, on the same random scenarios as
/// <see cref="PointInTimePropertyTests"/>. Each scenario gets a schema of its own in one database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPointInTimePropertyTests(PostgresServer server) : IAsyncLifetime
{
    private string _connectionString = "";
    private PostgresOfflineEngine? _engine;

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        _engine = new PostgresOfflineEngine(_connectionString);
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Property(MaxTest = 200)]
    public Property Engine_matches_the_naive_reference() =>
        Prop.ForAll(PointInTimePropertyTests.CaseGen().ToArbitrary(), c =>
        {
            var root = Directory.CreateTempSubdirectory("granary-pit-pg-").FullName;
            try
            {
                var actual = PostgresPitScenario.RunEngineAsync(_engine!, _connectionString, root, c.Entities, c.Views, c.FullNames, c.FilterByCreated)
                    .GetAwaiter().GetResult();
                var expected = PitScenario.Expected(c.Entities, c.Views, c.FilterByCreated);
                return actual.Count == expected.Count && actual.Zip(expected).All(p => p.First.SequenceEqual(p.Second));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
}
