using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Resolution;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Definitions;
using Granary.Tests.Resolution;

namespace Granary.Tests.Streaming;

/// <summary>
/// A stream feature view defined in C# as a repository would define it (every function, several windows and hops,
/// 10 minutes of allowed lateness, event ids in <c>txn_id</c>) over push source <c>txn_push</c>, resolved as serving
/// and push resolve it; and the read that serving does for it.
/// </summary>
internal static class OnlineStreamView
{
    public const string Name = "user_spend";
    public const string Source = "txn_push";
    public static readonly TimeSpan Lateness = TimeSpan.FromMinutes(10);

    private static readonly StreamWindow TenMinutes = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
    private static readonly StreamWindow Hour = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(10));
    private static readonly StreamWindow HalfHourTumbling = new(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30));

    public static FeatureView View(TimeSpan ttl = default, string? eventIdField = "txn_id") => StreamViewResolver.Resolve(
        new FeatureView
        {
            Name = Name,
            Entities = ["user"],
            Schema = [],
            Source = Source,
            Ttl = ttl,
            Stream = new StreamSettings
            {
                Hop = TimeSpan.FromMinutes(1),
                AllowedLateness = Lateness,
                EventIdField = eventIdField,
                Aggregations =
                [
                    new StreamAggregation { Function = "count", Windows = [TenMinutes, Hour, HalfHourTumbling, StreamWindow.Lifetime] },
                    new StreamAggregation { Function = "count", Column = "merchant", Windows = [TenMinutes] },
                    new StreamAggregation { Function = "sum", Column = "amount", Windows = [TenMinutes, Hour, StreamWindow.Lifetime] },
                    new StreamAggregation { Function = "sum", Column = "units", Windows = [Hour] },
                    new StreamAggregation { Function = "mean", Column = "amount", Windows = [Hour] },
                    new StreamAggregation { Function = "variance", Column = "amount", Windows = [Hour] },
                    new StreamAggregation { Function = "stddev", Column = "units", Windows = [TenMinutes] },
                    new StreamAggregation { Function = "min", Column = "merchant", Windows = [Hour, HalfHourTumbling] },
                    new StreamAggregation { Function = "max", Column = "amount", Windows = [Hour, HalfHourTumbling] },
                    new StreamAggregation { Function = "first", Column = "merchant", Windows = [Hour] },
                    new StreamAggregation { Function = "last", Column = "amount", Windows = [HalfHourTumbling] },
                    new StreamAggregation { Function = "last_k", Column = "merchant", K = 3, Windows = [Hour] },
                    new StreamAggregation { Function = "approx_count_distinct", Column = "merchant", Windows = [Hour, StreamWindow.Lifetime] },
                    new StreamAggregation { Function = "approx_percentile", Column = "amount", Percentiles = [50, 90], Windows = [Hour] },
                ],
            },
        },
        static column => (FeatureType?)StreamTestPlan.TypeOf(column));

    /// <summary>The view, an ordinary view beside it, their entity and sources, resolved as a push resolves them.</summary>
    public static ResolvedPushSource Resolve(FeatureView view)
    {
        var batch = new FileSource { Name = "txn_log", Path = "data/txn.parquet", Format = FileFormat.Parquet, TimestampField = "ts" };
        var push = new PushSource { Name = Source, BatchSourceName = batch.Name };
        var definitions = new DefinitionSet
        {
            Entities = [new Entity { Name = "user", JoinKeys = ["user_id"], ValueType = FeatureType.Int64 }],
            Sources = [batch, push],
            FeatureViews = [view],
        };
        return new ResolvedPushSource(push, batch, [OnlineViewPlan.For(view, definitions)]);
    }

    public static Pusher Pusher(IOnlineStore store, TimeProvider time) => new(new ResolutionFixtures.BareEngine(), store, "/repo", time);

    /// <summary>The pushed columns of <paramref name="rows"/>: user_id, ts, amount, units, merchant, txn_id.</summary>
    public static Dictionary<string, IReadOnlyList<object?>> Columns(IEnumerable<(int Key, StreamEvent Event, string Id)> rows)
    {
        var list = rows.ToList();
        return new Dictionary<string, IReadOnlyList<object?>>
        {
            ["user_id"] = list.Select(r => (object?)(long)r.Key).ToList(),
            ["ts"] = list.Select(r => (object?)UtcMicros.ToDateTimeOffset(r.Event.Micros)).ToList(),
            ["amount"] = list.Select(r => (object?)r.Event.Amount).ToList(),
            ["units"] = list.Select(r => (object?)r.Event.Units).ToList(),
            ["merchant"] = list.Select(r => (object?)r.Event.Merchant).ToList(),
            ["txn_id"] = list.Select(r => (object?)r.Id).ToList(),
        };
    }

    /// <summary>What serving answers for one key at <paramref name="now"/>: status, event time and every feature.</summary>
    public static async Task<(FeatureStatus Status, long EventMicros, FeatureValue[] Values)> ReadAsync(IOnlineStore store, OnlineViewPlan plan, int key, long now)
    {
        var states = new AggregateStateEntry[1];
        await StreamFeatureReader.States(store, plan.Name).ReadStatesAsync([new OnlineKey(plan.Name, EntityKey.Create(FeatureValue.Int64(key)))], states);
        var values = new FeatureValue[plan.Schema.Count];
        if (StreamFeatureReader.Aggregates(plan, states[0]) is not { } aggregates)
        {
            return (FeatureStatus.NotFound, 0, values);
        }

        var (status, eventMicros) = StreamFeatureReader.ValuesAt(plan, aggregates, now, values);
        return (status, eventMicros, values);
    }

    /// <summary>Every feature of <paramref name="values"/> equals the naive computation over <paramref name="accepted"/> at <paramref name="t"/>.</summary>
    public static void AssertValues(AggregationPlan plan, IReadOnlyList<StreamEvent> accepted, long t, FeatureValue[] values, string what)
    {
        for (var f = 0; f < values.Length; f++)
        {
            var feature = plan.Features[f];
            var aggregation = plan.Aggregations[feature.AggregationIndex];
            var inWindow = accepted
                .Where(e => NaiveWindowAggregation.InWindow(t, feature.Window.LengthMicros, feature.Window.HopMicros, e.Micros))
                .Select(e => (e.Micros, StreamTestPlan.ValueOf(e, aggregation.Column)))
                .ToList();
            var expected = NaiveWindowAggregation.Compute(
                aggregation.Function, inWindow, aggregation.K, aggregation.Percentiles.Count > 0 ? aggregation.Percentiles[feature.Output] : 0);
            ValueAssert.Equal(expected, values[f], $"{what}: {feature.Name} at {UtcMicros.ToDateTimeOffset(t):O}");
        }
    }
}
