using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Tests.Streaming;

/// <summary>
/// Stream feature views in DuckDB's training data: the engine's point-in-time retrieval computes every requested
/// feature at each entity row's instant from the logged events, equal to the naive definition
/// (<see cref="NaiveWindowAggregation"/>), beside ordinary views, in the requested column order.
/// </summary>
public sealed class StreamOfflineDuckDbTests : IDisposable
{
    private static readonly long T0 = StreamEvents.T0;

    private readonly string _root = Directory.CreateTempSubdirectory("granary-stream-offline-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly FileSource EventLog = new()
    {
        Name = "txn_log",
        Path = "events.parquet",
        Format = FileFormat.Parquet,
        TimestampField = "event_timestamp",
    };

    [Property(MaxTest = 40)]
    public Property Every_requested_feature_at_every_entity_row_equals_the_definition_over_the_logged_events() =>
        Prop.ForAll(StreamOfflineScenario.Requests.ToArbitrary(), scenario =>
        {
            Task.Run(() => CheckAsync(scenario.Events, scenario.Rows, scenario.Order, scenario.Ttl)).GetAwaiter().GetResult();
            return true;
        });

    [Fact]
    public async Task A_stream_view_and_an_ordinary_view_answer_together_in_the_requested_order_read_or_written()
    {
        // user 1 spends 2.5 at 12:00 and 1.0 at 12:30; user 2 has no events. The profile says user 1 is gold from 11:00.
        await StreamOfflineScenario.WriteEventsAsync(Path.Combine(_root, "events.parquet"),
        [
            new(1, new StreamEvent(T0, 2.5, 1, "a"), "t1"),
            new(1, new StreamEvent(T0 + Minutes(30), 1.0, 2, "b"), "t2"),
        ]);
        await using (var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"COPY (SELECT * FROM (VALUES (1::BIGINT, make_timestamp({T0 - Minutes(60)}), 'gold'), (2::BIGINT, make_timestamp({T0 - Minutes(60)}), 'blue')) v(user_id, event_timestamp, tier)) TO {DuckDbSql.Literal(Path.Combine(_root, "profile.parquet"))} (FORMAT parquet)";
            await command.ExecuteNonQueryAsync();
        }

        (int, long)[] entities = [(1, T0 + Minutes(45)), (1, T0 + Minutes(65)), (1, T0 + Minutes(70)), (2, T0 + Minutes(60))];
        var entityFile = await StreamOfflineScenario.WriteEntitiesAsync(_root, entities);
        var profile = new FeatureView { Name = "profile", Entities = ["user"], Schema = [new Field("tier", FeatureType.String)], Source = "profile_source" };
        var profileSource = new FileSource { Name = "profile_source", Path = "profile.parquet", Format = FileFormat.Parquet, TimestampField = "event_timestamp" };
        var request = StreamOfflineScenario.Request(_root, entityFile,
            new PointInTimeView(StreamOfflineScenario.View(), EventLog, ["user_id"], ["sum_amount_1h", "count_lifetime"]),
            new PointInTimeView(profile, profileSource, ["user_id"], ["tier"])) with { FullFeatureNames = true };
        await using var engine = new DuckDbOfflineEngine();

        await using var rows = await engine.ReadAsync(request);
        var read = await ReadAllAsync(rows);
        var written = Path.Combine(_root, "training.csv");
        var count = await engine.WriteAsync(request, written, FileFormat.Csv);

        // At 12:45 the 1h window (hop 10m) starts at 11:40: both events. At 13:05 it starts at 12:00, the first event's
        // instant: both still. At 13:10 it starts at 12:10: only the second. User 2: no events, count 0 and sum null.
        Assert.Equal(
        [
            "user_id|event_timestamp|label|user_spend__sum_amount_1h|user_spend__count_lifetime|profile__tier",
            "1|12:45|0|3.5|2|gold",
            "1|13:05|1|3.5|2|gold",
            "1|13:10|2|1|2|gold",
            "2|13:00|3|-|0|blue",
        ], read);
        Assert.Equal(4, count);
        Assert.Equal(
            "user_id,event_timestamp,label,user_spend__sum_amount_1h,user_spend__count_lifetime,profile__tier",
            File.ReadLines(written).First());
        Assert.Equal("1,2026-03-01 13:10:00,2,1.0,2,gold", File.ReadLines(written).ElementAt(3));
    }

    [Fact]
    public async Task The_stream_join_is_a_hash_join_on_the_key_with_a_time_band_never_a_cross_product()
    {
        await StreamOfflineScenario.WriteEventsAsync(Path.Combine(_root, "events.parquet"), [new(1, new StreamEvent(T0, 1, 1, "a"), "t1")]);
        var entityFile = await StreamOfflineScenario.WriteEntitiesAsync(_root, [(1, T0)]);
        var request = StreamOfflineScenario.Request(_root, entityFile,
            new PointInTimeView(StreamOfflineScenario.View(), EventLog, ["user_id"], ["sum_amount_1h", "count_lifetime"]));
        await using var engine = new DuckDbOfflineEngine();

        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN " + engine.Explain(request);
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetValue(reader.FieldCount - 1)?.ToString());
        }

        var text = plan.ToString();
        Assert.Contains("HASH_JOIN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CROSS_PRODUCT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NESTED_LOOP_JOIN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BLOCKWISE_NL_JOIN", text, StringComparison.Ordinal);
    }

    private static long Minutes(int minutes) => minutes * 60_000_000L;

    private async Task CheckAsync(LoggedEvent[] events, (int Key, long Micros)[] entities, string[] requested, TimeSpan ttl)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, Guid.NewGuid().ToString("N"))).FullName;
        await StreamOfflineScenario.WriteEventsAsync(Path.Combine(folder, "events.parquet"), events);
        var entityFile = await StreamOfflineScenario.WriteEntitiesAsync(folder, entities);
        var view = StreamOfflineScenario.View(ttl);
        var request = StreamOfflineScenario.Request(folder, entityFile, new PointInTimeView(view, EventLog, ["user_id"], requested));
        await using var engine = new DuckDbOfflineEngine();

        await using var rows = await engine.ReadAsync(request);
        await StreamOfflineScenario.AssertRowsAsync(rows, StreamOfflineScenario.Plan(view), requested, events, entities, (long)ttl.TotalMicroseconds);
    }

    private static async Task<List<string>> ReadAllAsync(Granary.Offline.OfflineRows rows)
    {
        var reader = rows.Reader;
        var result = new List<string> { string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)) };
        while (await reader.ReadAsync())
        {
            result.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "-" : Text(reader.GetValue(i)))));
        }

        return result;
    }

    private static string Text(object value) => value switch
    {
        DateTime time => time.ToString("HH:mm", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
