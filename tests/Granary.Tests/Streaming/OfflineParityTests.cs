using System.Collections;
using System.Globalization;
using DuckDB.NET.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Offline.DuckDb;
using Granary.Streaming.Aggregation;

namespace Granary.Tests.Streaming;

/// <summary>
/// The same definition online and offline: random events for a few keys (out of order, ties, nulls, late arrivals)
/// go through the tiles in arrival order; at checkpoints each key's online values are read, and DuckDB computes the
/// same features over the events logged so far at the same instant with <see cref="DuckDbWindowedAggregationQuery"/>.
/// Every value must agree (floats within 1e-9 relative; few enough events per key that the sketches are exact).
/// </summary>
public sealed class OfflineParityTests
{
    private static readonly long T0 = StreamEvents.T0;

    private static readonly Gen<(int Key, StreamEvent Event)> KeyedEvents =
        Gen.Zip(Gen.Choose(1, 3), StreamEvents.Any, (key, e) => (key, e));

    private static readonly Gen<((int Key, StreamEvent Event)[] Events, int[] Checkpoints, int Later)> Scenarios =
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(KeyedEvents, n)).SelectMany(events =>
            Gen.Zip(Gen.ArrayOf(Gen.Choose(0, events.Length), 3), Gen.Choose(0, 5400),
                (checkpoints, later) => (events, checkpoints.Order().ToArray(), later)));

    [Property(MaxTest = 50)]
    public Property Online_values_equal_the_offline_computation_at_the_same_instant() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            Task.Run(() => CheckAsync(scenario.Events, [.. scenario.Checkpoints, scenario.Events.Length], scenario.Later)).GetAwaiter().GetResult();
            return true;
        });

    private static async Task CheckAsync((int Key, StreamEvent Event)[] events, int[] checkpoints, int later)
    {
        var plan = StreamTestPlan.Create();
        var online = new Dictionary<int, KeyAggregates>();
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SET TimeZone = 'UTC'; CREATE TABLE events (user_id BIGINT, event_timestamp TIMESTAMP, amount DOUBLE, units BIGINT, merchant VARCHAR)");

        var applied = 0;
        foreach (var checkpoint in checkpoints)
        {
            var logged = new List<string>();
            for (; applied < checkpoint; applied++)
            {
                var (key, e) = events[applied];
                if (!online.TryGetValue(key, out var state))
                {
                    online[key] = state = new KeyAggregates(plan);
                }

                state.Apply(StreamTestPlan.Columns(plan, e), e.Micros);
                logged.Add($"({key}, make_timestamp({e.Micros}), {Sql(e.Amount)}, {Sql(e.Units)}, {Sql(e.Merchant)})");
            }

            if (logged.Count > 0)
            {
                await ExecuteAsync(connection, "INSERT INTO events VALUES " + string.Join(", ", logged));
            }

            var t = (applied == 0 ? T0 : events[..applied].Max(x => x.Event.Micros)) + later * 1_000_000L;
            await CompareAsync(connection, plan, online, t);
        }
    }

    private static async Task CompareAsync(DuckDBConnection connection, AggregationPlan plan, Dictionary<int, KeyAggregates> online, long t)
    {
        int[] keys = [1, 2, 3];
        await ExecuteAsync(connection, "CREATE OR REPLACE TABLE entities AS SELECT * FROM (VALUES "
            + string.Join(", ", keys.Select(k => $"({k}, make_timestamp({t}))")) + ") v(user_id, event_timestamp)");
        await using var command = connection.CreateCommand();
        command.CommandText = DuckDbWindowedAggregationQuery.Build(plan, "entities", "events", ["user_id"], "event_timestamp", "event_timestamp");
        await using var reader = await command.ExecuteReaderAsync();
        var values = new FeatureValue[plan.Features.Count];
        var row = 0;
        while (await reader.ReadAsync())
        {
            var key = keys[row++];
            if (!online.TryGetValue(key, out var state))
            {
                // A key never seen online is NOT_FOUND there; offline it has no events in any window.
                Assert.Equal(0L, reader.GetInt64(reader.GetOrdinal("count_lifetime")));
                continue;
            }

            state.ValuesAt(t, values);
            for (var f = 0; f < values.Length; f++)
            {
                var offline = reader.IsDBNull(f + 1) ? null : reader.GetValue(f + 1);
                ValueAssert.Equal(Normalize(offline), values[f], $"user {key}, {plan.Features[f].Name} at {UtcMicros.ToDateTimeOffset(t):O}");
            }
        }

        Assert.Equal(keys.Length, row);
    }

    /// <summary>DuckDB's lists come back as lists; the assertion compares arrays of values.</summary>
    private static object? Normalize(object? value) => value is IList list and not Array ? list.Cast<object?>().ToArray() : value;

    private static string Sql(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) + "::DOUBLE" : "NULL";

    private static string Sql(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NULL";

    private static string Sql(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
