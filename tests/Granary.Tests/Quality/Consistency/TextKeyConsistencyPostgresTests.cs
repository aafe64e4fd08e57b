using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Quality.Consistency;

/// <summary>
/// <see cref="TextKeyConsistencyContract"/> on PostgreSQL: the offline store, the source table (a text key column) and
/// the serving log are all in PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TextKeyConsistencyPostgresTests(PostgresServer server) : TextKeyConsistencyContract
{
    private readonly Dictionary<string, string> _connections = [];

    protected override async Task<TempRepository> RepositoryAsync(IReadOnlyList<AccountRow> rows)
    {
        var connection = await server.CreateDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var command = db.CreateCommand("CREATE TABLE accounts (account_id text, ts timestamptz, balance double precision, tier text)");
            await command.ExecuteNonQueryAsync();
        }

        var variable = "GRANARY_TEST_OFFLINE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        var repo = new TempRepository()
            .Write("granary.yaml", $$"""
                project: bank
                registry: data/registry.db
                offline_store: {type: postgres, connection: "${{{variable}}}"}
                monitoring: {serving_sample_rate: 1.0}
                """)
            .Write("features.yaml", Definitions + "\n" + """
                sources:
                  - {name: accounts, type: postgres, table: accounts, timestamp_field: ts}
                """);
        _connections[repo.Root] = connection;
        await ReplaceSourceAsync(repo, rows);
        return repo;
    }

    protected override async Task ReplaceSourceAsync(TempRepository repo, IReadOnlyList<AccountRow> rows)
    {
        await using var db = NpgsqlDataSource.Create(_connections[repo.Root]);
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM accounts"));
        foreach (var row in rows)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO accounts VALUES ($1, $2, $3, $4)");
            insert.Parameters.Add(new NpgsqlParameter { Value = row.Key });
            insert.Parameters.Add(new NpgsqlParameter { Value = AccountRow.EventTime });
            insert.Parameters.Add(new NpgsqlParameter { Value = row.Balance });
            insert.Parameters.Add(new NpgsqlParameter { Value = row.Tier });
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync();
    }
}
