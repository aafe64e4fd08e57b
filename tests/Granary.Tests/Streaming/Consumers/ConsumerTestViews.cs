using Granary.Core.Model;
using Granary.Streaming.Definitions;
using Granary.Streaming.Sources;

namespace Granary.Tests.Streaming.Consumers;

/// <summary>
/// A stream view whose events carry one column of every scalar type, keyed by a user (int64) and a merchant
/// (string), over a Redis or NATS source: the shape the decoding tests write messages for.
/// </summary>
internal static class ConsumerTestViews
{
    /// <summary>The event columns and their types, as the view's batch source declares them.</summary>
    public static readonly Field[] Columns =
    [
        new("amount", FeatureType.Float64),
        new("ratio", FeatureType.Float32),
        new("quantity", FeatureType.Int32),
        new("points", FeatureType.Int64),
        new("flag", FeatureType.Bool),
        new("note", FeatureType.String),
        new("blob", FeatureType.Bytes),
        new("seen_at", FeatureType.UnixTimestamp),
    ];

    public static StreamEventShape Shape(string? eventIdField = null, string timestampField = "ts")
    {
        var aggregations = new List<StreamAggregation>();
        foreach (var column in Columns)
        {
            var numeric = column.Type.Kind is ScalarKind.Float64 or ScalarKind.Float32 or ScalarKind.Int32 or ScalarKind.Int64;
            aggregations.Add(new StreamAggregation { Function = numeric ? "sum" : "last", Column = column.Name, Windows = [new StreamWindow(TimeSpan.FromHours(1))] });
        }

        var view = new FeatureView
        {
            Name = "purchases",
            Entities = ["user", "merchant"],
            Source = "purchases_stream",
            Schema = [],
            Stream = new StreamSettings { Hop = TimeSpan.FromMinutes(1), Aggregations = aggregations, EventIdField = eventIdField },
        };
        var definitions = new DefinitionSet
        {
            Entities =
            [
                new Entity { Name = "user", JoinKeys = ["user_id"], ValueType = FeatureType.Int64 },
                new Entity { Name = "merchant", JoinKeys = ["merchant_id"], ValueType = FeatureType.String },
            ],
            Sources =
            [
                new FileSource { Name = "purchase_log", Path = "data/purchases.parquet", Format = FileFormat.Parquet, TimestampField = "event_timestamp" },
                new RedisStreamSource { Name = "purchases_stream", Connection = "127.0.0.1:6379", Stream = "purchases", Group = "granary", BatchSourceName = "purchase_log", TimestampField = timestampField },
            ],
        };
        var resolved = StreamViewResolver.Resolve(view, name => Array.Find(Columns, c => c.Name == name)?.Type);
        return StreamEventShape.For(resolved, definitions with { FeatureViews = [resolved] });
    }
}
