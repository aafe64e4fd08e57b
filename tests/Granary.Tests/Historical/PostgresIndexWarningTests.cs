using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Historical;

/// <summary><c>plan</c> on PostgreSQL table sources: a large table without an index on (join keys, event time) is a warning naming the index.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIndexWarningTests(PostgresServer server)
{
    private const string Features = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
          - {name: shop, join_keys: [shop_id], value_type: int64}
        sources:
          - name: visits
            type: postgres
            table: visit_stats
            timestamp_field: ts
        feature_views:
          - {name: user_visits, entities: [user, shop], source: visits, schema: [{name: visits_7d, dtype: int64}]}
          - {name: again, entities: [shop, user], source: visits, schema: [{name: visits_7d, dtype: int64}]}
        """;

    private async Task<(TempRepository Repo, string Connection)> RepositoryAsync(long rows)
    {
        var connection = await server.CreateDatabaseAsync();
        await ExecuteAsync(connection, $"""
            CREATE TABLE visit_stats (shop_id bigint, user_id bigint, ts timestamptz, visits_7d bigint);
            INSERT INTO visit_stats SELECT i % 50, i % 1000, TIMESTAMPTZ '2026-11-01 00:00+00' + i * INTERVAL '1 second', i
                FROM generate_series(1, {rows}) i;
            ANALYZE visit_stats;
            """);
        var variable = "GRANARY_TEST_OFFLINE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        var repo = new TempRepository()
            .Write("granary.yaml", $$"""
                project: shop
                offline_store: {type: postgres, connection: "${{{variable}}}"}
                """)
            .Write("features.yaml", Features);
        return (repo, connection);
    }

    [Fact]
    public async Task Plan_warns_once_about_a_large_unindexed_table_and_the_named_index_silences_it()
    {
        var (repo, connection) = await RepositoryAsync(rows: 120_000);
        using var _ = repo;
        await using var store = FeatureStore.Open(repo.Root);

        var warning = Assert.Single((await store.PlanAsync()).Warnings);

        Assert.Equal("features.yaml", Path.GetFileName(warning.Location!.Value.File));
        Assert.Equal(7, warning.Location.Value.Line);
        Assert.Contains("Source 'visits'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("about 120,000 rows", warning.Message, StringComparison.Ordinal);
        const string Create = "CREATE INDEX ON \"visit_stats\" (\"user_id\", \"shop_id\", \"ts\");";
        Assert.EndsWith(Create, warning.Message, StringComparison.Ordinal);

        await ExecuteAsync(connection, Create);
        Assert.Empty((await store.PlanAsync()).Warnings);
    }

    [Fact]
    public async Task An_index_with_the_keys_in_another_order_also_serves_but_one_without_the_event_time_does_not()
    {
        var (repo, connection) = await RepositoryAsync(rows: 120_000);
        using var _ = repo;
        await using var store = FeatureStore.Open(repo.Root);

        await ExecuteAsync(connection, "CREATE INDEX ON visit_stats (user_id, shop_id)");
        Assert.Single((await store.PlanAsync()).Warnings);

        await ExecuteAsync(connection, "CREATE INDEX ON visit_stats (shop_id, user_id, ts, visits_7d)");
        Assert.Empty((await store.PlanAsync()).Warnings);
    }

    [Fact]
    public async Task Plan_says_nothing_about_a_small_table()
    {
        var (repo, _) = await RepositoryAsync(rows: 5_000);
        using var __ = repo;
        await using var store = FeatureStore.Open(repo.Root);

        Assert.Empty((await store.PlanAsync()).Warnings);
    }

    [Fact]
    public async Task The_plan_command_prints_the_warning_and_succeeds()
    {
        var (repo, _) = await RepositoryAsync(rows: 120_000);
        using var __ = repo;

        var (exit, output, _) = await CliRunner.RunAsync("plan", "--repo", repo.Root);

        Assert.Equal(0, exit);
        Assert.Contains("features.yaml:7", output, StringComparison.Ordinal);
        Assert.Contains("warning: ", output, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX ON \"visit_stats\" (\"user_id\", \"shop_id\", \"ts\");", output, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var db = NpgsqlDataSource.Create(connection);
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
