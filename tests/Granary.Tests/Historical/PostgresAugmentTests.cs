using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Historical;

/// <summary>The augmenter inside PostgreSQL: a recipe's join is get-historical's with full feature names, row for row.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAugmentTests(PostgresServer server)
{
    [Fact]
    public async Task Augment_inside_postgres_equals_get_historical_with_full_feature_names()
    {
        var connection = await server.CreateDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var command = db.CreateCommand("""
                CREATE TABLE user_stats (user_id bigint, ts timestamptz, orders_7d bigint, spend_7d double precision);
                INSERT INTO user_stats VALUES
                    (1, '2026-11-01T00:00:00Z', 3, 10.5), (1, '2026-11-03T00:00:00Z', 5, 11.5), (2, '2026-11-01T00:00:00Z', 0, 0);
                CREATE TABLE spine (user_id bigint, event_timestamp timestamptz, label int);
                INSERT INTO spine VALUES (1, '2026-11-02T00:00:00Z', 1), (1, '2026-11-04T00:00:00Z', 0), (2, '2026-11-05T00:00:00Z', 1), (3, '2026-11-02T00:00:00Z', 0);
                """);
            await command.ExecuteNonQueryAsync();
        }

        var variable = "GRANARY_TEST_AUGMENT_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        using var repo = new TempRepository()
            .Write("granary.yaml", $$"""
                project: shop
                offline_store: {type: postgres, connection: "${{{variable}}}"}
                """)
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: stats, type: postgres, table: user_stats, timestamp_field: ts}
                feature_views:
                  - name: user_stats
                    entities: [user]
                    ttl: 2d
                    source: stats
                    schema: [{name: orders_7d, dtype: int64}, {name: spend_7d, dtype: float64}]
                """)
            .Write("recipes/experiment.yaml", """
                augmenter:
                  type: feature_store
                  features:
                    - feature_namespace: user_stats
                      features: [spend_7d, orders_7d]
                """);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var spine = EntityTable.FromQuery("SELECT * FROM spine ORDER BY user_id, event_timestamp");
        var augmented = Path.Combine(repo.Root, "augmented.csv");
        var historical = Path.Combine(repo.Root, "historical.csv");

        var augment = await store.AugmentAsync(store.LoadRecipe("experiment"), spine);
        await augment.WriteAsync(augmented);
        var reference = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = spine,
            Features = ["user_stats:spend_7d", "user_stats:orders_7d"],
            FullFeatureNames = true,
        });
        await reference.WriteAsync(historical);

        Assert.Equal("postgres", store.Offline.Name);
        var lines = File.ReadAllLines(augmented);
        Assert.Equal(File.ReadAllLines(historical), lines);
        Assert.Equal("user_id,event_timestamp,label,user_stats__spend_7d,user_stats__orders_7d", lines[0]);
        Assert.EndsWith(",1,10.5,3", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",0,11.5,5", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",1,,", lines[3], StringComparison.Ordinal);   // four days after its only row: past the 2d ttl
        Assert.Equal(5, lines.Length);
    }
}
