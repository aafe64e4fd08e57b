using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Offline.Postgres;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Streaming;

/// <summary>
/// Stream feature views in PostgreSQL's training data, against a real server: the same random logs and entity rows
/// as <see cref="StreamOfflineDuckDbTests"/>, every requested feature equal to the naive definition, and an ordinary
/// view beside a stream view in the requested column order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StreamPostgresParityTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly long T0 = StreamEvents.T0;

    private static readonly PostgresSource EventLog = new() { Name = "txn_log", Table = "events", TimestampField = "event_timestamp" };

    private readonly string _root = Directory.CreateTempSubdirectory("granary-stream-pg-").FullName;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        await ExecuteAsync(StreamPostgresEvents.CreateTable);
        await ExecuteAsync("CREATE TABLE profile (user_id bigint, event_timestamp timestamptz, tier text)");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Property(MaxTest = 25)]
    public Property Every_requested_feature_at_every_entity_row_equals_the_definition_over_the_logged_events() =>
        Prop.ForAll(StreamOfflineScenario.Requests.ToArbitrary(), scenario =>
        {
            Task.Run(() => CheckAsync(scenario.Events, scenario.Rows, scenario.Order, scenario.Ttl)).GetAwaiter().GetResult();
            return true;
        });

    [Fact]
    public async Task A_stream_view_and_an_ordinary_view_answer_together_in_the_requested_order()
    {
        // As the DuckDB example: user 1 spends 2.5 at 12:00 and 1.0 at 12:30; user 2 has no events. The tests of the
        // class share the events table, so each starts from an empty one.
        await ExecuteAsync("TRUNCATE events");
        await LogAsync(
        [
            new(1, new StreamEvent(T0, 2.5, 1, "a"), "t1"),
            new(1, new StreamEvent(T0 + Minutes(30), 1.0, 2, "b"), "t2"),
        ]);
        await ExecuteAsync("INSERT INTO profile VALUES (1, '2026-03-01 11:00+00', 'gold'), (2, '2026-03-01 11:00+00', 'blue')");
        (int, long)[] entities = [(1, T0 + Minutes(45)), (1, T0 + Minutes(65)), (1, T0 + Minutes(70)), (2, T0 + Minutes(60))];
        var entityFile = await StreamOfflineScenario.WriteEntitiesAsync(_root, entities);
        var profile = new FeatureView { Name = "profile", Entities = ["user"], Schema = [new Field("tier", FeatureType.String)], Source = "profile_source" };
        var profileSource = new PostgresSource { Name = "profile_source", Table = "profile", TimestampField = "event_timestamp" };
        var request = StreamOfflineScenario.Request(_root, entityFile,
            new PointInTimeView(profile, profileSource, ["user_id"], ["tier"]),
            new PointInTimeView(StreamOfflineScenario.View(), EventLog, ["user_id"], ["count_lifetime", "sum_amount_1h"]));
        await using var engine = new PostgresOfflineEngine(_connectionString);

        await using var rows = await engine.ReadAsync(request);
        var reader = rows.Reader;
        var read = new List<string> { string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)) };
        while (await reader.ReadAsync())
        {
            read.Add(string.Join("|", Enumerable.Range(3, reader.FieldCount - 3).Select(i => reader.IsDBNull(i) ? "-" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        Assert.Equal(
        [
            "user_id|event_timestamp|label|tier|count_lifetime|sum_amount_1h",
            "gold|2|3.5",
            "gold|2|3.5",
            "gold|2|1",
            "blue|0|-",
        ], read);
    }

    [Fact]
    public async Task A_keys_reused_id_counts_its_first_inserted_copy_from_a_table_and_its_earliest_from_a_query()
    {
        // User 1's t1 is inserted first at 12:05 (3.0), then at 12:01 (9.0); user 2's t1 is another event.
        await ExecuteAsync("TRUNCATE events");
        await LogAsync(
        [
            new(1, new StreamEvent(T0 + Minutes(5), 3.0, 1, "a"), "t1"),
            new(1, new StreamEvent(T0 + Minutes(1), 9.0, 1, "z"), "t1"),
            new(2, new StreamEvent(T0 + Minutes(3), 5.0, 1, "c"), "t1"),
        ]);
        (int, long)[] entities = [(1, T0 + Minutes(10)), (2, T0 + Minutes(10))];
        var entityFile = await StreamOfflineScenario.WriteEntitiesAsync(_root, entities);
        var query = new PostgresSource { Name = "txn_log", Query = "SELECT * FROM events", TimestampField = "event_timestamp" };
        await using var engine = new PostgresOfflineEngine(_connectionString);

        async Task<List<double>> SumsAsync(PostgresSource source)
        {
            var request = StreamOfflineScenario.Request(_root, entityFile, new PointInTimeView(StreamOfflineScenario.View(), source, ["user_id"], ["sum_amount_lifetime"]));
            await using var rows = await engine.ReadAsync(request);
            var sums = new List<double>();
            while (await rows.Reader.ReadAsync())
            {
                sums.Add(rows.Reader.GetDouble(3));
            }

            return sums;
        }

        Assert.Equal([3.0, 5.0], await SumsAsync(EventLog));
        Assert.Equal([9.0, 5.0], await SumsAsync(query));
    }

    private static long Minutes(int minutes) => minutes * 60_000_000L;

    private async Task CheckAsync(LoggedEvent[] events, (int Key, long Micros)[] entities, string[] requested, TimeSpan ttl)
    {
        await ExecuteAsync("TRUNCATE events");
        await LogAsync(events);
        var folder = Directory.CreateDirectory(Path.Combine(_root, Guid.NewGuid().ToString("N"))).FullName;
        var entityFile = await StreamOfflineScenario.WriteEntitiesAsync(folder, entities);
        var view = StreamOfflineScenario.View(ttl);
        var request = StreamOfflineScenario.Request(folder, entityFile, new PointInTimeView(view, EventLog, ["user_id"], requested));
        await using var engine = new PostgresOfflineEngine(_connectionString);

        await using var rows = await engine.ReadAsync(request);
        await StreamOfflineScenario.AssertRowsAsync(rows, StreamOfflineScenario.Plan(view), requested, events, entities, (long)ttl.TotalMicroseconds);
    }

    private async Task LogAsync(IReadOnlyList<LoggedEvent> events)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await StreamPostgresEvents.CopyAsync(connection, events);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
