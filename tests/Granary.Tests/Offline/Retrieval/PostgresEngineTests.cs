using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>The PostgreSQL engine's files, source inspection and configuration errors.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEngineTests(PostgresServer server) : PostgresEngineFixture(server)
{
    private const string Entities = """
        SELECT * FROM (VALUES
            (2::BIGINT, 'b', TIMESTAMP '2026-01-01 10:00:00'),
            (1, 'a,"x"', TIMESTAMP '2026-01-01 10:00:00.5'),
            (2, 'b', TIMESTAMP '2026-01-01 10:00:00'),
            (1, '', TIMESTAMP '2026-01-01 08:00:00')
        ) t(k, tag, event_timestamp)
        """;

    [Fact]
    public async Task Writes_csv_with_a_header_quoting_and_utc_timestamps_in_input_order()
    {
        var entities = EntityTable.FromFile(await WriteFileAsync("entities.parquet", Entities));
        var output = Path.Combine(Root, "out.csv");

        var count = await Engine.WriteAsync(Request(entities, View(Source())), output, FileFormat.Csv);

        Assert.Equal(4, count);
        Assert.Equal(
            "k,tag,event_timestamp,f0\r\n" +
            "2,b,2026-01-01T10:00:00Z,\r\n" +
            "1,\"a,\"\"x\"\"\",2026-01-01T10:00:00.5Z,3\r\n" +
            "2,b,2026-01-01T10:00:00Z,\r\n" +
            "1,\"\",2026-01-01T08:00:00Z,1\r\n",
            await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task Writes_parquet_in_input_order_with_types_kept()
    {
        var entities = EntityTable.FromFile(await WriteFileAsync("entities.parquet", Entities));
        var output = Path.Combine(Root, "out.parquet");

        var count = await Engine.WriteAsync(Request(entities, View(Source())), output, FileFormat.Parquet);

        Assert.Equal(4, count);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT string_agg(concat_ws(':', k, tag, strftime(event_timestamp, '%H:%M:%S.%f'), coalesce(f0::VARCHAR, '-')), ','),
                any_value(typeof(k)), any_value(typeof(event_timestamp)), any_value(typeof(f0))
            FROM read_parquet({DuckDbSql.Literal(output)})
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("2:b:10:00:00.000000:-,1:a,\"x\":10:00:00.500000:3,2:b:10:00:00.000000:-,1::08:00:00.000000:1", reader.GetString(0));
        Assert.Equal(["BIGINT", "TIMESTAMP WITH TIME ZONE", "BIGINT"], new[] { reader.GetString(1), reader.GetString(2), reader.GetString(3) });
    }

    [Fact]
    public async Task Inspects_a_table_and_a_query_and_leaves_file_sources_to_others()
    {
        var table = await Engine.InspectAsync(Source(), Root);
        var query = await Engine.InspectAsync(Source(table: null, query: "SELECT key, val::text AS label FROM features"), Root);
        var file = await Engine.InspectAsync(new FileSource { Name = "f", Path = "f.parquet", Format = FileFormat.Parquet, TimestampField = "ts" }, Root);

        Assert.Equal(["key:bigint", "ts:timestamp with time zone", "created:timestamp with time zone", "val:bigint"], table!.Columns.Select(c => $"{c.Name}:{c.EngineType}"));
        Assert.Equal(["key:bigint", "label:text"], query!.Columns.Select(c => $"{c.Name}:{c.EngineType}"));
        Assert.Null(file);
    }

    [Fact]
    public async Task Inspecting_a_missing_table_names_the_source()
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => Engine.InspectAsync(Source("missing.table") with { Name = "lost" }, Root));

        Assert.Equal(ErrorCodes.SourceUnavailable, error.Code);
        Assert.Contains("'lost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_a_source_unavailable_error()
    {
        await using var engine = new PostgresOfflineEngine($"Host=127.0.0.1;Port={LoopbackPorts.Free()};Username=postgres;Timeout=3");

        var inspect = await Assert.ThrowsAsync<GranaryException>(() => engine.InspectAsync(Source() with { Name = "far" }, Root));
        var read = await Assert.ThrowsAsync<GranaryException>(() => engine.ReadAsync(Request(EntityTable.FromRelation("e"), View(Source()))));

        Assert.Equal(ErrorCodes.SourceUnavailable, inspect.Code);
        Assert.Contains("'far'", inspect.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.SourceUnavailable, read.Code);
    }

    [Fact]
    public async Task A_retrieval_past_the_command_timeout_is_a_timeout_error_naming_that_setting()
    {
        await using var engine = new PostgresOfflineEngine(ConnectionString + ";Command Timeout=1");
        var request = Request(EntityTable.FromQuery("SELECT 1::bigint AS k, now() AS event_timestamp FROM pg_sleep(10)"), View(Source()));

        var error = await Assert.ThrowsAsync<GranaryException>(() => engine.ReadAsync(request));

        Assert.Equal(ErrorCodes.SourceTimeout, error.Code);
        Assert.Contains("within 1 s, the Command Timeout of offline_store's connection string", error.Message, StringComparison.Ordinal);
        Assert.Contains("'view0'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retrieval_past_the_servers_statement_timeout_is_a_timeout_error_naming_that_setting()
    {
        await using var engine = new PostgresOfflineEngine(ConnectionString + ";Options=-c statement_timeout=200");
        var request = Request(EntityTable.FromQuery("SELECT 1::bigint AS k, now() AS event_timestamp FROM pg_sleep(10)"), View(Source()));

        var error = await Assert.ThrowsAsync<GranaryException>(() => engine.ReadAsync(request));

        Assert.Equal(ErrorCodes.SourceTimeout, error.Code);
        Assert.Contains("statement_timeout", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Command Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unindexed_sources_are_joined_without_a_nested_loop()
    {
        // Sizes at which a per-row lookup is what the planner would otherwise pick for a lateral join.
        await ExecuteAsync("""
            CREATE TABLE big (key bigint, ts timestamptz, created timestamptz, val bigint);
            INSERT INTO big SELECT i % 500, TIMESTAMPTZ '2026-01-01 00:00+00' + i * INTERVAL '1 minute',
                TIMESTAMPTZ '2026-01-01 00:00+00' + i * INTERVAL '1 minute', i FROM generate_series(1, 20000) i;
            CREATE TABLE people AS SELECT i % 700 AS k, TIMESTAMPTZ '2026-01-05 00:00+00' + i * INTERVAL '1 second' AS event_timestamp
                FROM generate_series(1, 5000) i;
            ANALYZE big; ANALYZE people;
            """);
        var request = Request(EntityTable.FromRelation("people"), View(Source("big"), TimeSpan.FromDays(1)));

        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN " + Engine.Explain(request), connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.DoesNotContain(plan, line => line.Contains("Nested Loop", StringComparison.Ordinal));
        Assert.Equal(5000, (await ReadAsync(request)).Count);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_a_config_error_that_does_not_repeat_it()
    {
        var error = Assert.Throws<GranaryException>(() => new PostgresOfflineEngine("Host=db;Password=hunter2;Port=not-a-port"));

        Assert.Equal(ErrorCodes.InvalidConfig, error.Code);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        await using var engine = new PostgresOfflineEngine("Host=db");
        Assert.Equal("postgres", engine.Name);
    }
}
