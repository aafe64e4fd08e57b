using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Postgres;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Granary.Tests.Offline.Retrieval;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Diagnostics;

/// <summary>The PostgreSQL engine's own events: an entity file loaded into its session (6101), a statement out of time (6102).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOfflineEngineLogTests(PostgresServer server) : PostgresEngineFixture(server)
{
    [Fact]
    public async Task An_entity_file_loaded_into_postgres_is_logged_with_its_rows()
    {
        var log = new CapturedLog();
        await using var engine = new PostgresOfflineEngine(ConnectionString, log);
        var entities = EntityTable.FromFile(await WriteFileAsync("entities.parquet", "SELECT * FROM (VALUES (1, TIMESTAMP '2026-01-01 10:00:00'), (2, TIMESTAMP '2026-01-01 10:00:00'), (3, TIMESTAMP '2026-01-01 10:00:00')) t(k, event_timestamp)"));

        await using (await engine.ReadAsync(Request(entities, View(Source()))))
        {
        }

        var entry = Assert.Single(log.WithId(6101));
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains($"loaded the entity table ({entities.Description}) into a temp table, 3 rows in ", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_statement_past_the_command_timeout_is_logged_with_the_limit_that_stopped_it()
    {
        var log = new CapturedLog();
        await using var engine = new PostgresOfflineEngine(ConnectionString + ";Command Timeout=1", log);
        var request = Request(EntityTable.FromQuery("SELECT 1::bigint AS k, now() AS event_timestamp FROM pg_sleep(10)"), View(Source()));

        var error = await Assert.ThrowsAsync<GranaryException>(() => engine.ReadAsync(request));

        Assert.Equal(ErrorCodes.SourceTimeout, error.Code);
        var entry = Assert.Single(log.WithId(6102));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("the retrieval of 'view0' for ", entry.Message, StringComparison.Ordinal);
        Assert.Contains("stopped by the connection string's Command Timeout of 1 s", entry.Message, StringComparison.Ordinal);
    }
}
