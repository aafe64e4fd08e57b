using System.Globalization;
using Granary.Core.Model;
using Granary.Online;
using Granary.Online.Embedded;
using Granary.Streaming.Definitions;
using Granary.Streaming.Ingest;
using Granary.Streaming.Sources;

namespace Granary.Benchmarks.Streaming;

/// <summary>
/// The stream view the streaming benchmarks ingest: <c>count</c>, <c>sum(amount)</c> and <c>mean(amount)</c> over 1h
/// and 1d windows (the view's hop, 1 minute, for both), 10 minutes of allowed lateness, keyed by an int64 user, over
/// a Redis Streams source; and the source's messages: one entry of field/value pairs per event
/// (<c>user_id</c>, <c>ts</c> in seconds with a microsecond fraction, <c>amount</c>), as a producer writes them.
/// </summary>
internal static class StreamBenchView
{
    public const string Source = "transactions_stream";

    private static readonly StreamWindow[] Windows = [new(TimeSpan.FromHours(1)), new(TimeSpan.FromDays(1))];

    public static (StreamViewTarget Target, StreamEventShape Shape) Create()
    {
        var view = new FeatureView
        {
            Name = "user_spend",
            Entities = ["user"],
            Source = Source,
            Schema = [],
            Stream = new StreamSettings
            {
                Hop = TimeSpan.FromMinutes(1),
                AllowedLateness = TimeSpan.FromMinutes(10),
                Aggregations =
                [
                    new StreamAggregation { Function = "count", Windows = Windows },
                    new StreamAggregation { Function = "sum", Column = "amount", Windows = Windows },
                    new StreamAggregation { Function = "mean", Column = "amount", Windows = Windows },
                ],
            },
        };
        var definitions = new DefinitionSet
        {
            Entities = [new Entity { Name = "user", JoinKeys = ["user_id"], ValueType = FeatureType.Int64 }],
            Sources =
            [
                new FileSource { Name = "txn_log", Path = "data/transactions.parquet", Format = FileFormat.Parquet, TimestampField = "ts" },
                new RedisStreamSource { Name = Source, Connection = "127.0.0.1:6379", Stream = "transactions", Group = "granary", BatchSourceName = "txn_log", TimestampField = "ts" },
            ],
        };
        var resolved = StreamViewResolver.Resolve(view, name => name == "amount" ? FeatureType.Float64 : null);
        return (StreamViewTarget.For(resolved), StreamEventShape.For(resolved, definitions with { FeatureViews = [resolved] }));
    }

    /// <summary>An ingestor of <see cref="Source"/> into <paramref name="store"/>, on the system clock and the process's meter.</summary>
    public static StreamIngestor Ingestor(IAggregateStateStore store, StreamViewTarget target) =>
        new(store, Source, [target], TimeProvider.System, StreamIngestMetrics.For(null));

    /// <summary>The folder of <c>--data DIR</c>, else a temp folder named <paramref name="name"/>; created.</summary>
    public static string DataDirectory(string[] args, string name)
    {
        var directory = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), name);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>An embedded store on a new <c>online.db</c> in <paramref name="directory"/> (an earlier run's files removed).</summary>
    public static EmbeddedOnlineStore FreshStore(string directory)
    {
        foreach (var file in Directory.GetFiles(directory, "online.db*"))
        {
            File.Delete(file);
        }

        return new EmbeddedOnlineStore(Path.Combine(directory, "online.db"));
    }

    /// <summary>The value of integer option <paramref name="name"/> (thousands separators allowed), else <paramref name="fallback"/>.</summary>
    public static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>
    /// Fills <paramref name="messages"/> with events <c>first</c> onwards: event <c>i</c> is at <paramref name="micros"/>
    /// of <c>i</c>, for the user a multiplicative hash of <c>i</c> picks among <paramref name="keys"/> (every key once
    /// per <paramref name="keys"/> events when the count is a power of two or prime to the multiplier).
    /// </summary>
    public static void Fill(SourceMessage[] messages, long first, int keys, Func<long, long> micros)
    {
        for (var m = 0; m < messages.Length; m++)
        {
            var i = first + m;
            var user = (long)((ulong)(i * 2_654_435_761L) % (ulong)keys);
            var at = micros(i);
            var seconds = string.Create(CultureInfo.InvariantCulture, $"{at / 1_000_000}.{at % 1_000_000:D6}");
            var amount = string.Create(CultureInfo.InvariantCulture, $"{(i * 7919 % 100_000) / 100.0:0.00}");
            messages[m] = new SourceMessage(
                $"{i}-0",
                [new("user_id", user.ToString(CultureInfo.InvariantCulture)), new("ts", seconds), new("amount", amount)],
                ReadOnlyMemory<byte>.Empty,
                Redelivered: false);
        }
    }
}
