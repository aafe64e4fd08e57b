using System.Collections;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Definitions;

namespace Granary.Tests.Streaming;

/// <summary>
/// What the engines' stream-view parity tests share: a stream feature view defined as a user defines it
/// (<see cref="StreamSettings"/> with every function over windows of several lengths and hops, completed by
/// <see cref="StreamViewResolver"/>), random logged events (out of order, ties, nulls, redelivered copies of an event
/// id), random entity rows (on and beside tile edges, a key without events), and the expectation
/// <see cref="NaiveWindowAggregation"/> computes for each row and feature.
/// </summary>
internal static class StreamOfflineScenario
{
    public const string ViewName = "user_spend";

    /// <summary>The keys entity rows ask for: 1-3 have events, 4 never has one.</summary>
    public static readonly int[] Keys = [1, 2, 3, 4];

    private static readonly long T0 = StreamEvents.T0;

    /// <summary>
    /// Logged events, in log order: a key, an event and an id (null one time in eight) from a small pool, so that one
    /// id is used by several keys and again by one key for a different event (earlier or later, another value); some
    /// repeated as exact redeliveries.
    /// </summary>
    public static readonly Gen<LoggedEvent[]> Events =
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(1, 3), Gen.Zip(StreamEvents.Any, Gen.Choose(0, 7 * 4), (e, id) => (e, id)), (key, e) => (key, e.e, e.id)), n)).SelectMany(events =>
        {
            var logged = events.Select(e => new LoggedEvent(e.Item1, e.Item2, e.Item3 % 8 == 0 ? null : $"txn-{e.Item3}")).ToArray();
            return Gen.ArrayOf(Gen.Choose(0, Math.Max(0, logged.Length - 1)), logged.Length == 0 ? 0 : 5)
                .Select(repeats => logged.Concat(repeats.Distinct().Select(r => logged[r])).ToArray());
        });

    /// <summary>Entity rows: a key and an instant, on a minute edge or a microsecond beside one, or any second.</summary>
    public static readonly Gen<(int Key, long Micros)[]> EntityRows =
        Gen.ArrayOf(
            Gen.Zip(
                Gen.Elements(Keys),
                Gen.OneOf(
                    Gen.Zip(Gen.Choose(0, 150), Gen.Elements(0L, -1L, 1L), (minute, beside) => T0 + (minute * 60_000_000L) + beside),
                    Gen.Choose(0, 9000).Select(s => T0 + (s * 1_000_000L))),
                (key, t) => (key, t)),
            8);

    /// <summary>A whole request: the log, the entity rows, every feature in a random order, and a ttl (none or 20 minutes).</summary>
    public static readonly Gen<(LoggedEvent[] Events, (int Key, long Micros)[] Rows, string[] Order, TimeSpan Ttl)> Requests =
        Gen.Zip(
            Gen.Zip(Events, EntityRows, (events, rows) => (events, rows)),
            Gen.Zip(Gen.Shuffle(Plan(View()).Features.Select(f => f.Name).ToArray()), Gen.Elements(0, 20), (order, ttl) => (order, ttl)),
            (data, request) => (data.events, data.rows, request.order, TimeSpan.FromMinutes(request.ttl)));

    /// <summary>The view's definition, as a repository defines it: default hop 1m, windows of 10m, 1h (hop 10m), 30m tumbling and lifetime.</summary>
    public static FeatureView View(TimeSpan ttl = default, string source = "txn_push")
    {
        var tenMinutes = new StreamWindow(TimeSpan.FromMinutes(10));
        var hour = new StreamWindow(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
        var halfHour = new StreamWindow(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));
        var lifetime = StreamWindow.Lifetime;
        StreamAggregation Aggregate(string function, string? column, StreamWindow[] windows, int k = 0, double[]? percentiles = null) =>
            new() { Function = function, Column = column, Windows = windows, K = k, Percentiles = percentiles ?? [] };

        var view = new FeatureView
        {
            Name = ViewName,
            Entities = ["user"],
            Schema = [],
            Source = source,
            Ttl = ttl,
            Stream = new StreamSettings
            {
                Hop = TimeSpan.FromMinutes(1),
                EventIdField = "txn_id",
                Aggregations =
                [
                    Aggregate("count", null, [tenMinutes, hour, halfHour, lifetime]),
                    Aggregate("count", "merchant", [tenMinutes]),
                    Aggregate("sum", "amount", [tenMinutes, hour, lifetime]),
                    Aggregate("sum", "units", [hour]),
                    Aggregate("mean", "amount", [hour]),
                    Aggregate("variance", "amount", [hour]),
                    Aggregate("stddev", "units", [tenMinutes]),
                    Aggregate("min", "merchant", [hour, halfHour]),
                    Aggregate("max", "amount", [hour, halfHour]),
                    Aggregate("min", "units", [tenMinutes]),
                    Aggregate("first", "merchant", [hour]),
                    Aggregate("last", "amount", [halfHour]),
                    Aggregate("last_k", "merchant", [hour], k: 3),
                    Aggregate("approx_count_distinct", "merchant", [hour, lifetime]),
                    Aggregate("approx_percentile", "amount", [hour], percentiles: [50, 90]),
                ],
            },
        };
        return StreamViewResolver.Resolve(view, column => column == "txn_id" ? FeatureType.String : StreamTestPlan.TypeOf(column));
    }

    public static AggregationPlan Plan(FeatureView view) => StreamPlanCompiler.Compile(view.Stream!);

    /// <summary>The expected value of <paramref name="feature"/> for <paramref name="key"/> at <paramref name="t"/>: a redelivered id counts once.</summary>
    public static object? Expected(AggregationPlan plan, StreamFeature feature, IReadOnlyList<LoggedEvent> events, int key, long t, long ttlMicros = 0)
    {
        var once = NaiveWindowAggregation.CountedOnce(events, e => e.Key, e => e.Id).Where(e => e.Key == key).ToList();

        if (ttlMicros > 0 && !once.Any(e => e.Event.Micros <= t && e.Event.Micros >= t - ttlMicros))
        {
            return null;
        }

        var aggregation = plan.Aggregations[feature.AggregationIndex];
        var inWindow = once
            .Where(e => NaiveWindowAggregation.InWindow(t, feature.Window.LengthMicros, feature.Window.HopMicros, e.Event.Micros))
            .Select(e => (e.Event.Micros, StreamTestPlan.ValueOf(e.Event, aggregation.Column)))
            .ToList();
        return NaiveWindowAggregation.Compute(
            aggregation.Function, inWindow, aggregation.K, aggregation.Percentiles.Count > 0 ? aggregation.Percentiles[feature.Output] : 0);
    }

    /// <summary>Asserts that every row of <paramref name="rows"/> holds the expected features (after the entity's three columns).</summary>
    public static async Task AssertRowsAsync(
        OfflineRows rows, AggregationPlan plan, IReadOnlyList<string> requested, IReadOnlyList<LoggedEvent> events, (int Key, long Micros)[] entities, long ttlMicros = 0)
    {
        var reader = rows.Reader;
        Assert.Equal(["user_id", "event_timestamp", "label", .. requested], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var row = 0;
        while (await reader.ReadAsync())
        {
            var (key, t) = entities[row];
            Assert.Equal(row, Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture));
            for (var f = 0; f < requested.Count; f++)
            {
                var feature = plan.Features.Single(x => x.Name == requested[f]);
                var expected = Expected(plan, feature, events, key, t, ttlMicros);
                var actual = reader.IsDBNull(3 + f) ? null : reader.GetValue(3 + f);
                AssertValue(expected, actual, $"row {row} (user {key} at {UtcMicros.ToDateTimeOffset(t):O}), {feature.Name}");
            }

            row++;
        }

        Assert.Equal(entities.Length, row);
    }

    /// <summary>A naive expectation against an engine's value: floats within 1e-9 relative, lists item by item.</summary>
    public static void AssertValue(object? expected, object? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        switch (expected)
        {
            case double d:
                var a = Convert.ToDouble(actual, CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(d - a) <= 1e-9 * Math.Max(1, Math.Abs(d)), $"{what}: expected {d}, got {a}");
                break;
            case object?[] list:
                var items = ((IEnumerable)actual).Cast<object?>().ToArray();
                Assert.True(list.SequenceEqual(items), $"{what}: expected [{string.Join(", ", list)}], got [{string.Join(", ", items)}]");
                break;
            case long l:
                Assert.True(actual is long or int && Convert.ToInt64(actual, CultureInfo.InvariantCulture) == l, $"{what}: expected {l}, got {actual} ({actual.GetType().Name})");
                break;
            default:
                Assert.True(Equals(expected, actual), $"{what}: expected {expected}, got {actual} ({actual.GetType().Name})");
                break;
        }
    }

    /// <summary>The entity rows as a Parquet file (<c>user_id, event_timestamp, label</c>, the label numbering the rows).</summary>
    public static async Task<string> WriteEntitiesAsync(string folder, (int Key, long Micros)[] entities)
    {
        var path = Path.Combine(folder, "entities.parquet");
        var rows = string.Join(", ", entities.Select((e, i) => $"({e.Key}::BIGINT, make_timestamp({e.Micros}), {i})"));
        await DuckAsync($"COPY (SELECT * FROM (VALUES {rows}) v(user_id, event_timestamp, label)) TO {DuckDbSql.Literal(path)} (FORMAT parquet)");
        return path;
    }

    /// <summary>The events as a Parquet file with the batch source's columns.</summary>
    public static async Task WriteEventsAsync(string path, IReadOnlyList<LoggedEvent> events)
    {
        var select = events.Count == 0
            ? "SELECT 1::BIGINT AS user_id, make_timestamp(0) AS event_timestamp, 0.0::DOUBLE AS amount, 0::BIGINT AS units, ''::VARCHAR AS merchant, ''::VARCHAR AS txn_id WHERE false"
            : "SELECT * FROM (VALUES " + string.Join(", ", events.Select(e =>
                $"({e.Key}::BIGINT, make_timestamp({e.Event.Micros}), {Sql(e.Event.Amount)}, {Sql(e.Event.Units)}, {Sql(e.Event.Merchant)}, {Sql(e.Id)})"))
              + ") v(user_id, event_timestamp, amount, units, merchant, txn_id)";
        await DuckAsync($"COPY ({select}) TO {DuckDbSql.Literal(path)} (FORMAT parquet)");
    }

    public static PointInTimeRequest Request(string root, string entities, params PointInTimeView[] views) => new()
    {
        Entities = EntityTable.FromFile(entities),
        Views = views,
        RepositoryRoot = root,
    };

    private static string Sql(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) + "::DOUBLE" : "NULL::DOUBLE";

    private static string Sql(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) + "::BIGINT" : "NULL::BIGINT";

    private static string Sql(string? value) => value is null ? "NULL::VARCHAR" : DuckDbSql.Literal(value);

    private static async Task DuckAsync(string sql)
    {
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>One event as logged: its key, its values and its id (null: an event without one, never deduplicated).</summary>
internal sealed record LoggedEvent(int Key, StreamEvent Event, string? Id);
