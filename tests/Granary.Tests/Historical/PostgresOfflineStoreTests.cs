using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Historical;

/// <summary>A repository whose offline_store and sources are PostgreSQL: plan checks the tables, training data is joined there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOfflineStoreTests(PostgresServer server)
{
    private async Task<TempRepository> RepositoryAsync()
    {
        var connection = await server.CreateDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var command = db.CreateCommand("""
                CREATE TABLE user_stats (user_id bigint, ts timestamptz, created timestamptz, orders_7d bigint);
                INSERT INTO user_stats VALUES
                    (1, '2026-11-01T00:00:00Z', '2026-11-01T00:05:00Z', 3),
                    (1, '2026-11-01T00:00:00Z', '2026-11-01T00:09:00Z', 4),
                    (2, '2026-11-01T00:00:00Z', '2026-11-01T00:05:00Z', 0);
                CREATE TABLE labels (user_id bigint, event_timestamp timestamptz, label int);
                INSERT INTO labels VALUES (1, '2026-11-02T00:00:00Z', 1), (2, '2026-11-04T00:00:00Z', 0), (3, '2026-11-02T00:00:00Z', 1);
                """);
            await command.ExecuteNonQueryAsync();
        }

        var variable = "GRANARY_TEST_OFFLINE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        return new TempRepository()
            .Write("granary.yaml", $$"""
                project: shop
                offline_store: {type: postgres, connection: "${{{variable}}}"}
                """)
            .Write("features.yaml", """
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: stats, type: postgres, table: user_stats, timestamp_field: ts, created_timestamp_column: created}
                  - {name: stats_push, type: push, batch_source: stats}
                feature_views:
                  - name: user_stats
                    entities: [user]
                    ttl: 2d
                    source: stats
                    schema: [{name: orders_7d, dtype: int64}]
                """);
    }

    [Fact]
    public async Task Training_data_is_joined_inside_postgres_with_the_same_semantics()
    {
        using var repo = await RepositoryAsync();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var output = Path.Combine(repo.Root, "training.csv");

        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromQuery("SELECT * FROM labels ORDER BY user_id"),
            Features = ["user_stats:orders_7d"],
        });
        var rows = await result.WriteAsync(output);

        Assert.Equal("postgres", store.Offline.Name);
        Assert.Equal(3, rows);
        var lines = File.ReadAllLines(output);
        Assert.Equal("user_id,event_timestamp,label,orders_7d", lines[0]);
        Assert.EndsWith(",1,4", lines[1], StringComparison.Ordinal);   // the later-created of two rows at one event time
        Assert.EndsWith(",0,", lines[2], StringComparison.Ordinal);    // three days later: past the 2d ttl
        Assert.EndsWith(",1,", lines[3], StringComparison.Ordinal);    // no such user
    }

    [Fact]
    public async Task Plan_checks_definitions_against_the_postgres_tables()
    {
        using var repo = await RepositoryAsync();
        repo.Write("features.yaml", File.ReadAllText(Path.Combine(repo.Root, "features.yaml")).Replace("orders_7d, dtype", "orders_30d, dtype", StringComparison.Ordinal));
        await using var store = FeatureStore.Open(repo.Root);

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        Assert.Contains(e.Diagnostics, d => d.Message.Contains("no column 'orders_30d'", StringComparison.Ordinal) && d.Location!.Value.Line == 11);
    }

    [Fact]
    public async Task Plan_checks_each_dtype_against_the_postgres_column_type()
    {
        using var repo = await RepositoryAsync();
        repo.Write("features.yaml", File.ReadAllText(Path.Combine(repo.Root, "features.yaml"))
            .Replace("{name: orders_7d, dtype: int64}", "{name: orders_7d, dtype: int32}", StringComparison.Ordinal)
            .Replace("value_type: int64", "value_type: string", StringComparison.Ordinal));
        await using var store = FeatureStore.Open(repo.Root);

        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var field = Assert.Single(e.Diagnostics, d => d.Message.Contains("Field 'orders_7d'", StringComparison.Ordinal));
        Assert.Equal(11, field.Location!.Value.Line);
        Assert.Contains("is bigint (64-bit integers), which int32 cannot hold. Use dtype: int64", field.Message, StringComparison.Ordinal);

        // A string key holds a bigint column (as its text), so the entity change alone is accepted.
        Assert.DoesNotContain(e.Diagnostics, d => d.Message.Contains("Join key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("user_id,ts\n1,2026-11-02T00:00:00Z\n", "has no 'event_timestamp' column (it has user_id, ts)")]
    [InlineData("customer,event_timestamp\n1,2026-11-02T00:00:00Z\n", "has no column 'user_id', the join key of feature view 'user_stats'")]
    [InlineData("user_id,event_timestamp\n1,2026-11-02T00:00:00Z\n1,soon\n", "Row 2 of the entity table")]
    [InlineData("user_id,event_timestamp\nu1,2026-11-02T00:00:00Z\n", "has user_id 'u1', which is not a number")]
    [InlineData("user_id,event_timestamp,orders_7d\n1,2026-11-02T00:00:00Z,5\n", "--full-feature-names")]
    public async Task A_file_entity_table_mistake_is_reported_by_the_postgres_engine_in_the_files_terms(string csv, string expected)
    {
        using var repo = await RepositoryAsync();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        repo.Write("entities.csv", csv);
        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            Features = ["user_stats:orders_7d"],
        });

        var e = await Assert.ThrowsAsync<GranaryException>(() => result.WriteAsync(Path.Combine(repo.Root, "out.csv")));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("entities.csv", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repo.Root, "out.csv")));
    }

    [Theory]
    [InlineData("SELECT user_id, label FROM labels", "has no 'event_timestamp' column (it has user_id, label)")]
    [InlineData("SELECT user_id::text || 'x' AS user_id, event_timestamp FROM labels", "holds strings (text), but feature view 'user_stats' matches it against column 'user_id' of source 'stats', which holds 64-bit integers (bigint)")]
    [InlineData("SELECT user_id, event_timestamp, label AS orders_7d FROM labels", "has a column 'orders_7d', the name of requested feature 'user_stats:orders_7d'")]
    [InlineData("SELECT user_id, 'soon'::text AS event_timestamp FROM labels", "does not convert")]
    [InlineData("SELEC 1", "cannot be read by PostgreSQL")]
    public async Task A_query_entity_table_mistake_is_reported_without_postgres_internals(string sql, string expected)
    {
        using var repo = await RepositoryAsync();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromQuery(sql),
            Features = ["user_stats:orders_7d"],
        });

        var e = await Assert.ThrowsAsync<GranaryException>(() => result.WriteAsync(Path.Combine(repo.Root, "out.csv")));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_pushed_offline_are_inserted_into_the_table_source()
    {
        using var repo = await RepositoryAsync();
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        await store.PushAsync(new Granary.Push.PushRequest
        {
            PushSourceName = "stats_push",
            To = Granary.Push.PushTarget.Offline,
            Columns = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["user_id"] = [3L],
                ["ts"] = ["2026-11-01T12:00:00Z"],
                ["orders_7d"] = [9L],
            },
        });
        var output = Path.Combine(repo.Root, "after.csv");
        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityTable.FromQuery("SELECT * FROM labels ORDER BY user_id"), Features = ["user_stats:orders_7d"] });
        await result.WriteAsync(output);

        Assert.EndsWith(",1,9", File.ReadAllLines(output)[3], StringComparison.Ordinal);
    }
}
