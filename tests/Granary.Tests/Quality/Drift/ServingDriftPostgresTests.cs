using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Quality.Drift;

/// <summary><see cref="ServingDriftContract"/> on PostgreSQL: the offline store, the source table and the serving log in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ServingDriftPostgresTests(PostgresServer server) : ServingDriftContract
{
    protected override async Task<TempRepository> RepositoryAsync(IReadOnlyList<AdRow> rows)
    {
        var connection = await server.CreateDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using (var create = db.CreateCommand("CREATE TABLE ads (ad_id bigint, ts timestamptz, ctr double precision, country text)"))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using var connectionForCopy = await db.OpenConnectionAsync();
            await using var writer = await connectionForCopy.BeginBinaryImportAsync("COPY ads (ad_id, ts, ctr, country) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(row.AdId, NpgsqlTypes.NpgsqlDbType.Bigint);
                await writer.WriteAsync(row.EventTime, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(row.Ctr, NpgsqlTypes.NpgsqlDbType.Double);
                await writer.WriteAsync(row.Country, NpgsqlTypes.NpgsqlDbType.Text);
            }

            await writer.CompleteAsync();
        }

        var variable = "GRANARY_TEST_OFFLINE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, connection);
        return new TempRepository()
            .Write("granary.yaml", $$"""
                project: ads
                registry: data/registry.db
                offline_store: {type: postgres, connection: "${{{variable}}}"}
                monitoring: {serving_sample_rate: 1.0}
                """)
            .Write("features.yaml", Definitions + "\n" + """
                sources:
                  - {name: ads, type: postgres, table: ads, timestamp_field: ts}
                """);
    }
}
