using System.Net;
using System.Text;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Npgsql;

namespace Granary.Tests.Failures;

/// <summary>
/// A PostgreSQL offline store or registry that goes away is unavailable (503), never the request's fault (400); a
/// request that cannot be answered stays invalid_argument with a detail that says what was asked.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOutageTests(PostgresServer server)
{
    private static readonly HistoricalFeaturesRequest Training = new()
    {
        Entities = EntityTable.FromQuery("SELECT * FROM labels ORDER BY user_id"),
        Features = ["user_stats:orders_7d"],
    };

    [Fact]
    public async Task A_retrieval_while_the_offline_database_is_gone_is_source_unavailable_and_recovers_after()
    {
        var (repo, connection) = await OfflineRepositoryAsync("table: user_stats");
        using var _ = repo;
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var output = Path.Combine(repo.Root, "training.csv");
        Assert.Equal(3, await (await store.GetHistoricalFeaturesAsync(Training)).WriteAsync(output));

        await DatabaseOutage.BeginAsync(server, connection);
        GranaryException error;
        try
        {
            error = await Assert.ThrowsAsync<GranaryException>(async () => await (await store.GetHistoricalFeaturesAsync(Training)).WriteAsync(output));
        }
        finally
        {
            await DatabaseOutage.EndAsync(server, connection);
        }

        Assert.Equal(ErrorCodes.SourceUnavailable, error.Code);
        Assert.Equal(503, ErrorCatalog.Find(error.Code).HttpStatus);
        Assert.Contains("'user_stats'", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await RetryAsync(async () => await (await store.GetHistoricalFeaturesAsync(Training)).WriteAsync(output)));
    }

    [Fact]
    public async Task A_backend_terminated_during_the_statement_is_source_unavailable()
    {
        // The source sleeps, so the retrieval's statement is still running when its backend is terminated.
        var (repo, connection) = await OfflineRepositoryAsync("query: \"SELECT s.* FROM user_stats AS s, pg_sleep(3) AS wait\"");
        using var _ = repo;
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var result = await store.GetHistoricalFeaturesAsync(Training);

        var retrieval = result.WriteAsync(Path.Combine(repo.Root, "training.csv"));
        var database = DatabaseOutage.DatabaseOf(connection);
        var terminated = 0;
        for (var attempt = 0; attempt < 100 && terminated == 0 && !retrieval.IsCompleted; attempt++)
        {
            await Task.Delay(50);
            terminated = await DatabaseOutage.TerminateAsync(server, $"datname = '{database}' AND state = 'active' AND query LIKE '%pg_sleep%'");
        }

        var error = await Assert.ThrowsAsync<GranaryException>(() => retrieval);
        Assert.Equal(1, terminated);
        Assert.Equal(ErrorCodes.SourceUnavailable, error.Code);
    }

    [Fact]
    public async Task A_source_without_a_column_the_view_names_stays_invalid_argument_naming_the_view()
    {
        var (repo, connection) = await OfflineRepositoryAsync("table: user_stats");
        using var _ = repo;
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var drop = db.CreateCommand("ALTER TABLE user_stats DROP COLUMN orders_7d");
            await drop.ExecuteNonQueryAsync();
        }

        var result = await store.GetHistoricalFeaturesAsync(Training);
        var error = await Assert.ThrowsAsync<GranaryException>(() => result.WriteAsync(Path.Combine(repo.Root, "training.csv")));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("'user_stats'", error.Message, StringComparison.Ordinal);
        Assert.Contains("orders_7d", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_answers_503_registry_unavailable_while_the_registry_database_is_gone_and_200_after()
    {
        var connection = await server.CreateDatabaseAsync();
        var variable = "GRANARY_TEST_REGISTRY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        using var repo = SampleRepository.Create().Write("granary.yaml", $$"""
            project: shop
            registry: {type: postgres, connection: "${{{variable}}}"}
            """);
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await DatabaseOutage.BeginAsync(server, connection);
        GranaryServer? served = null;
        try
        {
            served = await ServedRepository.StartAsync(repo.Root);
            using var client = new HttpClient { BaseAddress = served.HttpUrl };
            var (status, body) = await GetAsync(client, "feature-views");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(ErrorCodes.RegistryUnavailable, body.GetProperty("error").GetString());
            Assert.Contains("PostgreSQL registry", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

            await DatabaseOutage.EndAsync(server, connection);
            var recovered = await RetryAsync(async () => (await GetAsync(client, "feature-views")).Status);
            Assert.Equal(HttpStatusCode.OK, recovered);
        }
        finally
        {
            await DatabaseOutage.EndAsync(server, connection);
            if (served is not null)
            {
                await served.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_server_answers_503_source_unavailable_to_a_materialization_while_the_offline_database_is_gone()
    {
        var (repo, connection) = await OfflineRepositoryAsync("table: user_stats");
        using var _ = repo;
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var served = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = served.HttpUrl };
        await DatabaseOutage.BeginAsync(server, connection);
        try
        {
            using var content = new StringContent("""{"start_ts": "2026-10-01T00:00:00Z", "end_ts": "2026-11-04T00:00:00Z", "feature_views": ["user_stats"]}""", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("materialize", UriKind.Relative), content);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(ErrorCodes.SourceUnavailable, body.GetProperty("error").GetString());
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        }
        finally
        {
            await DatabaseOutage.EndAsync(server, connection);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    // A pooled connection that the outage broke may fail once more after the database is back.
    private static async Task<T> RetryAsync<T>(Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (GranaryException e) when (attempt < 5 && e.Code == ErrorCodes.SourceUnavailable)
            {
                await Task.Delay(100);
            }
        }
    }

    private async Task<(TempRepository Repo, string Connection)> OfflineRepositoryAsync(string source)
    {
        var connection = await server.CreateDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var command = db.CreateCommand("""
                CREATE TABLE user_stats (user_id bigint, ts timestamptz, created timestamptz, orders_7d bigint);
                INSERT INTO user_stats VALUES (1, '2026-11-01T00:00:00Z', '2026-11-01T00:05:00Z', 3), (2, '2026-11-01T00:00:00Z', '2026-11-01T00:05:00Z', 0);
                CREATE TABLE labels (user_id bigint, event_timestamp timestamptz, label int);
                INSERT INTO labels VALUES (1, '2026-11-02T00:00:00Z', 1), (2, '2026-11-02T00:00:00Z', 0), (3, '2026-11-02T00:00:00Z', 1);
                """);
            await command.ExecuteNonQueryAsync();
        }

        var variable = "GRANARY_TEST_OFFLINE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        var repo = new TempRepository()
            .Write("granary.yaml", $$"""
                project: shop
                offline_store: {type: postgres, connection: "${{{variable}}}"}
                """)
            .Write("features.yaml", $$"""
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: stats, type: postgres, {{source}}, timestamp_field: ts, created_timestamp_column: created}
                feature_views:
                  - name: user_stats
                    entities: [user]
                    ttl: 2d
                    source: stats
                    schema: [{name: orders_7d, dtype: int64}]
                """);
        return (repo, connection);
    }
}
